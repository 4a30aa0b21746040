"""docker-compose.yml cannot run here (no Docker engine), so check it agrees with the
no-Docker path: the same Neo4j version, auth on, loopback-only ports, the app wired."""

import re
import xml.etree.ElementTree as ET

import yaml

from kb.settings import PROJECT_ROOT


def _pinned_version() -> str:
    ns = {"m": "http://maven.apache.org/POM/4.0.0"}
    root = ET.parse(PROJECT_ROOT / "neo4j" / "pom.xml").getroot()
    return root.find("m:properties/m:neo4j.version", ns).text


def _compose() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())


def test_image_version_equals_local_server_version():
    image = _compose()["services"]["neo4j"]["image"]
    match = re.fullmatch(r"neo4j:(\d+\.\d+\.\d+)-community", image)
    assert match, image
    assert match.group(1) == _pinned_version()
    assert _pinned_version().startswith("5.26.")


def test_auth_on_and_no_password_committed():
    neo4j = _compose()["services"]["neo4j"]
    auth = neo4j["environment"]["NEO4J_AUTH"]
    assert auth != "none" and "${NEO4J_PASSWORD" in auth
    example = (PROJECT_ROOT / ".env.example").read_text()
    assert re.search(r"^NEO4J_PASSWORD=\s*$", example, re.M)
    assert ".env" in (PROJECT_ROOT / ".gitignore").read_text().split()


def test_ports_loopback_volumes_and_healthcheck():
    compose = _compose()
    for service in ("neo4j", "app"):
        for port in compose["services"][service]["ports"]:
            assert port.startswith("127.0.0.1:"), port
    assert {"neo4j-data", "neo4j-logs"} <= set(compose["volumes"])
    assert "cypher-shell" in " ".join(compose["services"]["neo4j"]["healthcheck"]["test"])


def test_app_points_at_the_neo4j_service():
    app = _compose()["services"]["app"]
    assert app["build"] == "."
    assert app["environment"]["NEO4J_URI"] == "neo4j://neo4j:7687"
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert (PROJECT_ROOT / "Dockerfile").is_file()
