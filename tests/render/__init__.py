"""Tests of the Qt drawing shared by the command line and the UI."""
