"""Tests of the calls to the Novu API (trigger, cancel, sync) and the command line, against a stand-in."""
