"""The exchange scripts themselves: pyignite writes the known set through the node and reads it back equal.
(The Swift half of the exchange is Tests/IgniteTestNodeTests/CrossClientExchangeTests.swift.)"""
import os
import subprocess
import sys

HERE = os.path.join(os.path.dirname(__file__), 'exchange')


def test_python_writes_and_reads_known_values(single_port):
    for script in ('write_known.py', 'read_check.py'):
        result = subprocess.run([sys.executable, os.path.join(HERE, script), str(single_port), 'py_exchange'],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
