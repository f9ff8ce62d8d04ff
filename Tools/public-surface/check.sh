#!/usr/bin/env bash
# Checks the public surface of the libraries (issue 8), after a debug build (`swift build`); called by
# Tools/test-all.sh right after the build. Under a minute.
#  (a) no engine, wire-message, framing, transport or server-direction declaration is public
#      (surface.py over the modules' symbol graphs);
#  (b) the Swift samples of README.md and Docs/*.md, and the examples of Examples/ (Support, Sync, Async), type-check
#      as code OUTSIDE the package: against the built modules, without the package name, so they see only what an
#      application sees (`import IgniteSync`, `IgniteAsync`, `IgniteTLS`, `IgniteTesting`).
#      A sample that is a fragment (no `import` line: it uses names defined elsewhere) is skipped; a sample that imports
#      a product but uses names from the text around it gets them from preludes/<DOC>_<n>.swift (after its imports).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="$(swift build --show-bin-path)"
MODULES="$BIN/Modules"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
FAILED=0
TARGET="$(swiftc -print-target-info | python3 -c 'import json,sys; print(json.load(sys.stdin)["target"]["triple"])')"
# The C shims the products import (module maps next to their headers).
CFLAGS=(-I Sources/CIgniteOpenSSL -I Sources/CIgniteAsyncSystem -I Sources/CIgniteSQLite -I Sources/CIgniteAtomics)

echo "== public surface: symbol graphs"
mkdir -p "$WORK/sg"
for module in IgniteBinary IgniteProtocol IgniteSockets IgniteTLS IgniteSync IgniteAsync IgniteTesting; do
    swift-symbolgraph-extract -module-name "$module" -target "$TARGET" -I "$MODULES" "${CFLAGS[@]}" \
        -minimum-access-level public -skip-synthesized-members -output-dir "$WORK/sg" >/dev/null
done
python3 Tools/public-surface/surface.py "$WORK/sg" || FAILED=1

typecheck() {   # typecheck NAME FILE...: outside code (no -package-name), as an executable's sources
    local name="$1"; shift
    if ! swiftc -typecheck -swift-version 6 -target "$TARGET" -I "$MODULES" "${CFLAGS[@]}" -module-name "$name" "$@" \
            >"$WORK/$name.log" 2>&1; then
        echo "FAIL: $name does not type-check as outside code:"
        grep -E 'error:' "$WORK/$name.log" | head -20 | sed 's/^/  /'
        FAILED=1
    fi
}

echo "== documentation samples as outside code"
python3 - "$WORK/samples" README.md Docs/*.md <<'PY'
import os, re, sys
out = sys.argv[1]; os.makedirs(out)
for doc in sys.argv[2:]:
    text = open(doc).read()
    for n, block in enumerate(re.findall(r'^```swift\n(.*?)^```', text, re.S | re.M), 1):
        if not re.search(r'^import Ignite', block, re.M):
            continue   # a fragment
        name = re.sub(r'\W', '_', os.path.splitext(os.path.basename(doc))[0]) + f'_{n}'
        os.makedirs(os.path.join(out, name))
        prelude = os.path.join('Tools/public-surface/preludes', name + '.swift')
        if os.path.exists(prelude):
            lines = block.split('\n')
            last_import = max(i for i, l in enumerate(lines) if l.startswith('import '))
            block = '\n'.join(lines[:last_import + 1] + [open(prelude).read()] + lines[last_import + 1:])
        open(os.path.join(out, name, 'main.swift'), 'w').write(block)
PY
count=0
for dir in "$WORK"/samples/*/; do
    name="$(basename "$dir")"
    if grep -q '^import Testing' "$dir/main.swift"; then
        # Swift Testing's macros need the toolchain's plugin; type-check the body without the @Test attribute.
        python3 - "$dir/main.swift" <<'PY'
import re, sys
path = sys.argv[1]; text = open(path).read()
text = re.sub(r'^import Testing$', '', text, flags=re.M)
text = re.sub(r'^@Test func', 'func', text, flags=re.M)
text = re.sub(r'#expect\((.*)\)$', r'_ = \1', text, flags=re.M)
open(path, 'w').write(text)
PY
    fi
    typecheck "Sample_$name" "$dir/main.swift"
    count=$((count + 1))
done
echo "  $count samples"

echo "== examples as outside code"
mkdir -p "$WORK/support"
swiftc -emit-module -swift-version 6 -target "$TARGET" -I "$MODULES" "${CFLAGS[@]}" -parse-as-library \
    -module-name IgniteExampleSupport -emit-module-path "$WORK/support/IgniteExampleSupport.swiftmodule" \
    Examples/Support/*.swift >"$WORK/support.log" 2>&1 || {
        echo "FAIL: Examples/Support does not compile as outside code:"; grep -E 'error:' "$WORK/support.log" | head -20 | sed 's/^/  /'
        FAILED=1; }
typecheck IgniteExamples -I "$WORK/support" Examples/Sync/*.swift
typecheck IgniteAsyncExamples -I "$WORK/support" Examples/Async/*.swift

if [ "$FAILED" -ne 0 ]; then
    echo "public-surface check FAILED"
    exit 1
fi
echo "public-surface check passed"
