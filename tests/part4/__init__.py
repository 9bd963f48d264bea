"""Tests of course_lib.part4."""
