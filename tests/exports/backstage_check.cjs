// Reads a catalog-info.yaml as Backstage's catalog does, and checks every entity with
// @backstage/catalog-model's own validators, in the order the catalog backend applies them.
//
// Usage: node backstage_check.cjs FILE   (prints one JSON document: what each step said)
//
// The steps, from Backstage's source:
// - parse: plugin-catalog-node's parseEntityYaml: yaml.parseAllDocuments, a document with
//   errors is an error, each document's toJSON() is an entity.
// - envelope: processing/util.ts, validateEntityEnvelope = entityEnvelopeSchemaValidator(),
//   run before processing (DefaultCatalogProcessingOrchestrator.processSingleEntity).
// - policies: CatalogBuilder.buildEntityPolicy's defaults, EntityPolicies.allOf of
//   SchemaValidEntityPolicy, DefaultNamespaceEntityPolicy, NoForeignRootFieldsEntityPolicy
//   and FieldFormatEntityPolicy(makeValidator()) (runPolicyStep).
// - entity: validateEntity = entitySchemaValidator() (runValidateStep).
// - kind: BuiltinKindsEntityProcessor.validateEntityKind, each kind validator's check();
//   one must say true.
// - relations: BuiltinKindsEntityProcessor.postProcessEntity's parseEntityRef of owner,
//   dependsOn, parent and children with the same defaults; each target must be an
//   entity of the file (a dangling reference shows in Backstage as a missing entity).
'use strict';

const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..', '..', 'node_modules');
const yaml = require(path.join(root, 'yaml'));
const model = require(path.join(root, '@backstage', 'catalog-model'));

const validateEnvelope = model.entityEnvelopeSchemaValidator();
const validateEntity = model.entitySchemaValidator();
const policy = model.EntityPolicies.allOf([
  new model.SchemaValidEntityPolicy(),
  new model.DefaultNamespaceEntityPolicy(),
  new model.NoForeignRootFieldsEntityPolicy(),
  new model.FieldFormatEntityPolicy(model.makeValidator()),
]);
const kindValidators = [
  model.apiEntityV1alpha1Validator, model.componentEntityV1alpha1Validator,
  model.resourceEntityV1alpha1Validator, model.groupEntityV1alpha1Validator,
  model.locationEntityV1alpha1Validator, model.userEntityV1alpha1Validator,
  model.systemEntityV1alpha1Validator, model.domainEntityV1alpha1Validator,
];

function message(error) {
  return String(error && error.message ? error.message : error);
}

async function check(entity) {
  const result = {kind: entity && entity.kind, name: entity && entity.metadata && entity.metadata.name, errors: []};
  try {
    validateEnvelope(entity);
  } catch (e) {
    result.errors.push(`envelope: ${message(e)}`);
    return result;
  }
  let enforced;
  try {
    enforced = await policy.enforce(entity);
  } catch (e) {
    result.errors.push(`policy: ${message(e)}`);
    return result;
  }
  try {
    validateEntity(enforced);
  } catch (e) {
    result.errors.push(`entity: ${message(e)}`);
  }
  let recognised = false;
  for (const validator of kindValidators) {
    try {
      if (await validator.check(enforced)) recognised = true;
    } catch (e) {
      result.errors.push(`kind: ${message(e)}`);
    }
  }
  if (!recognised && result.errors.length === 0) result.errors.push('kind: no kind validator recognised the entity');
  result.ref = model.stringifyEntityRef(enforced);
  result.relations = [];
  const spec = enforced.spec || {};
  const namespace = enforced.metadata.namespace;
  const refs = [];
  if (enforced.kind === 'Component') {
    refs.push(['ownedBy', spec.owner, 'Group']);
    for (const target of spec.dependsOn || []) refs.push(['dependsOn', target, undefined]);
  }
  if (enforced.kind === 'Group') {
    refs.push(['childOf', spec.parent, 'Group']);
    for (const target of spec.children || []) refs.push(['parentOf', target, 'Group']);
  }
  for (const [type, target, defaultKind] of refs) {
    if (!target) continue;
    try {
      const parsed = model.parseEntityRef(target, {defaultKind, defaultNamespace: namespace});
      result.relations.push({type, target: model.stringifyEntityRef(parsed)});
    } catch (e) {
      result.errors.push(`relation ${type} ${JSON.stringify(target)}: ${message(e)}`);
    }
  }
  return result;
}

async function main() {
  const text = fs.readFileSync(process.argv[2], 'utf8');
  const report = {parseErrors: [], entities: []};
  for (const document of yaml.parseAllDocuments(text).filter(d => d)) {
    if (document.errors && document.errors.length) {
      report.parseErrors.push(String(document.errors[0]));
      continue;
    }
    const json = document.toJSON();
    if (json === null) continue;
    report.entities.push({data: json, result: await check(json)});
  }
  const known = new Set(report.entities.map(e => e.result.ref).filter(Boolean));
  for (const {result} of report.entities) {
    for (const relation of result.relations || []) {
      if (!known.has(relation.target)) result.errors.push(`relation ${relation.type}: no entity ${relation.target} in the file`);
    }
  }
  process.stdout.write(JSON.stringify(report));
}

main().catch(e => {
  process.stderr.write(message(e) + '\n');
  process.exit(2);
});
