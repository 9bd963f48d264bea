"""Tests of course_lib.part3."""
