"""Tests of course_lib.part1."""
