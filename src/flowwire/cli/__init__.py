"""The ``flowwire`` command line."""
