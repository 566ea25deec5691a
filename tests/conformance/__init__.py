"""Conformance suites: the DMN TCK and the Camunda behaviour cases, read from ``../shared``."""
