"""Tests of course_lib.part2."""
