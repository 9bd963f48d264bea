"""Tests of course_lib.core."""
