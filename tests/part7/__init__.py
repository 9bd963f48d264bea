"""Tests of course_lib.part7."""
