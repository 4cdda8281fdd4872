"""Service level performance: what the agreements' targets came to, computed from the ticket
and outage exports the tools already write.

    inputs (inputs.py)      the `reports:` block: which files, which column is which
    reading (reading.py)    an export's columns (pyarrow), its times as UTC seconds, bad rows told
    tickets (tickets.py)    each ticket given to its agreement and priority; clock stops to their tickets
    clocks (clocks.py)      response and resolution attainment, per priority and window
    availability            availability, the downtime budget and the credits owed
    measure (measure.py)    all of it per agreement, and the chain view across them

The stage reads a linked Catalogue and the inputs and returns a PerformanceReport;
the writers (service_catalogue.report) and the site's performance pages show it.
Every covered-time question is the service-time engine's (servicetime.py).
"""
