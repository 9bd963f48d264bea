"""Activity widgets shared by the parts: keyboard catcher, text box, typing clock, labelling widget and sessions, work panel. Imports only course_lib.core."""
