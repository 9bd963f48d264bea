"""The course's foundation: setup, the workspace, the simulated learner, validation, errors, data, display, theme, live figures and the catalogue of activities. Imports nothing else of course_lib."""
