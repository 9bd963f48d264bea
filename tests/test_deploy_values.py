"""deploy/values.yaml (Zero to JupyterHub): it parses, and it names the course image, the
exchange every server shares, and resource limits that match the course's bars.

Nothing here deploys anything: Kubernetes is not run by the test suite (docs/INSTRUCTORS.md
says so). What the values promise on one machine is tested in tests/hub.
"""
import re
from pathlib import Path

import pytest
from traitlets.config import Config

yaml = pytest.importorskip("yaml")
ROOT = Path(__file__).resolve().parents[1]
VALUES = ROOT / "deploy" / "values.yaml"
#: The course's bar (docs/COURSE_MAP.md): kernel peak memory of any notebook.
KERNEL_PEAK_MB = 500
UNITS = {"": 1 / 2**20, "K": 1e3 / 2**20, "M": 1e6 / 2**20, "G": 1e9 / 2**20,
         "Ki": 1 / 2**10, "Mi": 1, "Gi": 2**10}


def mib(quantity):
    """A Kubernetes/KubeSpawner byte quantity (1G, 512M, 2Gi) in MiB."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?", str(quantity))
    assert m, f"not a byte quantity: {quantity!r}"
    return float(m.group(1)) * UNITS[m.group(2) or ""]


@pytest.fixture(scope="module")
def values():
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def test_the_course_image_built_by_repo2docker(values):
    image = values["singleuser"]["image"]
    assert image["name"].endswith("/human-labor-in-ml")
    assert image["tag"] and image["tag"] != "latest"
    text = VALUES.read_text(encoding="utf-8")
    assert "repo2docker" in text and "environment.yml" in text
    assert (ROOT / "environment.yml").exists() and (ROOT / "postBuild").exists()
    assert values["singleuser"]["defaultUrl"] == "/lab"


def test_limits_match_the_course_bars(values):
    single = values["singleuser"]
    limit, guarantee = mib(single["memory"]["limit"]), mib(single["memory"]["guarantee"])
    assert KERNEL_PEAK_MB < guarantee <= limit <= 2048, (guarantee, limit)
    assert limit >= 1.5 * KERNEL_PEAK_MB      # room for the server beside the kernel
    assert 0 < single["cpu"]["guarantee"] <= single["cpu"]["limit"] <= 2
    # the instructor's grading profile fits `course autograde --jobs 2`: two kernels at their
    # peak, on top of the server
    [grading] = [p for p in single["profileList"] if "kubespawner_override" in p]
    override = grading["kubespawner_override"]
    assert mib(override["mem_limit"]) >= 2 * KERNEL_PEAK_MB + limit
    assert override["cpu_limit"] >= 2
    assert sum(1 for p in single["profileList"] if p.get("default")) == 1


def test_every_server_shares_one_exchange(values):
    single = values["singleuser"]
    [mount] = [m for m in single["storage"]["extraVolumeMounts"]
               if m["name"] == "nbgrader-exchange"]
    [volume] = [v for v in single["storage"]["extraVolumes"] if v["name"] == mount["name"]]
    assert volume["persistentVolumeClaim"]["claimName"]
    config_file = single["extraFiles"]["nbgrader-config"]
    assert config_file["mountPath"] == "/etc/jupyter/nbgrader_config.py"
    c = Config()
    exec(compile(config_file["stringData"], "nbgrader_config.py", "exec"),
         {"get_config": lambda: c})
    assert c.Exchange.root == mount["mountPath"]
    assert c.CourseDirectory.course_id
