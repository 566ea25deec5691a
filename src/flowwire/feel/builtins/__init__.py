"""Built-in functions of FEEL: DMN 1.5's families plus Camunda's extensions.

Importing this package fills :data:`registry.REGISTRY`; one module per family.
"""

from flowwire.feel.builtins import (  # noqa: F401 - imported for their registrations
    boolean_fns,
    camunda_fns,
    context_fns,
    conversion_fns,
    list_fns,
    numeric_fns,
    range_fns,
    string_fns,
    temporal_fns,
)
from flowwire.feel.builtins.registry import REGISTRY, Builtin, Param, builtin

__all__ = ["REGISTRY", "Builtin", "Param", "builtin"]
