"""Test helpers shared by several test packages (real peers on loopback)."""
