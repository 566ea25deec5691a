"""Tests of the Camunda 8 REST API (v2) served by flowwire."""
