"""flowwire: run BPMN processes modeled for Camunda 8, with Connectors as first-class citizens."""

__version__ = "0.1.0"
