"""A small panel to save all work to one file and bring it back (for Binder sessions that end).

*Export* writes the whole workspace to one JSON file next to the notebook (download it from
the file browser); *Import* takes an uploaded export and merges it in — never overwriting.

>>> import tempfile
>>> from course_lib.core.workspace import Workspace
>>> ws = Workspace(tempfile.mkdtemp())
>>> _ = ws.activity("part2.words").record("good", 2)
>>> panel = WorkPanel(ws)
>>> path = panel.export()
>>> panel.import_bytes("mine.json", path.read_bytes())["already_here"]
1
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from ..core.display import escape
from ..core.errors import WorkspaceError


class WorkPanel:
    """Export and import buttons for a :class:`~course_lib.core.workspace.Workspace`."""

    def __init__(self, workspace):
        import ipywidgets as widgets

        self.workspace = workspace
        self.export_button = widgets.Button(description="Export my work to one file",
                                            icon="download", layout=widgets.Layout(width="auto"))
        self.export_button.add_class("course-export")
        self.upload = widgets.FileUpload(accept=".json", multiple=False,
                                         description="Import an export file")
        self.upload.add_class("course-import")
        self.status = widgets.HTML()
        self.status.add_class("course-work-panel-status")
        self.export_button.on_click(lambda _b: self.export())
        self.upload.observe(self._on_upload, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.export_button, self.upload]), self.status])

    def _ipython_display_(self):
        from IPython.display import display
        display(self.widget)

    def export(self):
        """Write the export file (what the *Export* button does) and return its path."""
        path = self.workspace.export()
        n = self.workspace.count()
        self.status.value = (f"Saved {n} action(s) to <code>{escape(path.name)}</code> next to "
                             "this notebook. Download it from the file browser (right-click → "
                             "Download) before your session ends.")
        return path

    def _on_upload(self, change):
        for item in change["new"] or ():
            self.import_bytes(item["name"], bytes(item["content"]))

    def import_bytes(self, name, content):
        """Merge an uploaded export (``content`` bytes) into the workspace; return the report."""
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "upload.json"
            path.write_bytes(content)
            try:
                report = self.workspace.import_file(path)
            except WorkspaceError as exc:
                message = str(exc).replace(str(path), repr(name))
                self.status.value = f"<span style='color:#D55E00'>{escape(message)}</span>"
                return None
        self.status.value = (f"Imported {escape(name)}: {report['added']} new action(s) added, "
                             f"{report['already_here']} were already here. Nothing was "
                             "overwritten. Re-run the notebooks to see this work.")
        return report
