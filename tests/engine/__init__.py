"""Behaviour specifications of flowwire.engine and flowwire.store, through the public API."""
