"""Tests of course_lib.widgets."""
