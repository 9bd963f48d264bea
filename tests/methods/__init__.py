"""Tests of course_lib.methods."""
