"""`cached_property` without the lock that Python 3.11's takes on each first read.

The timeline makes hundreds of thousands of small objects (clocks, breach readings) whose
properties are each worked out once; on 3.11 the standard decorator's lock cost more than
some of the values. The model is never read from two threads at once, and Python 3.12
dropped the lock from the standard one, which is used there as it is.
"""

from __future__ import annotations

import sys
from functools import cached_property as _standard

if sys.version_info >= (3, 12):
    cached_property = _standard
else:

    class cached_property(_standard):  # noqa: N801 - the standard name
        def __get__(self, instance, owner=None):
            if instance is None:
                return self
            value = instance.__dict__[self.attrname] = self.func(instance)
            return value
