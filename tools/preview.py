"""Developer preview: compile one authoring source and render that one document against a sample.

    python tools/preview.py complaints [samples/company.yaml]

Prints the rendered text, the count of Chinese characters, and writes /tmp/preview/<id>.docx|xlsx.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.authoring.__main__ import compile_all  # noqa: E402
from docgen.catalog import TemplateSet, builtin_templates, load_catalog  # noqa: E402
from docgen.context import build_context  # noqa: E402
from docgen.errors import DocgenError  # noqa: E402
from docgen.pack import render_documents  # noqa: E402
from docgen.profile import load_profile  # noqa: E402
from docgen.textdump import template_text  # noqa: E402
from docgen.trades import apply_documents  # noqa: E402


def main() -> None:
    doc_id = sys.argv[1]
    profile_path = sys.argv[2] if len(sys.argv) > 2 else "samples/company.yaml"
    ts = TemplateSet(builtin_templates())
    entries = load_catalog(ts, require_files=False)
    entry = next(e for e in entries if e.id == doc_id)
    compile_all(ROOT, {Path(entry.template).with_suffix("").as_posix()})
    profile = load_profile(profile_path)
    context = build_context(profile, apply_documents(entries, profile.trade))
    docs = [d for d in context.documents if d.entry.id == doc_id]
    if not docs:
        print(f"{doc_id} is left out for {profile_path} by its condition: {entry.when}")
        return
    context.documents = docs
    try:
        data = next(iter(render_documents(context, ts, dt.datetime(2026, 9, 1, 12)).values()))
    except DocgenError as exc:
        print(exc)
        sys.exit(1)
    out = Path("/tmp/preview")
    out.mkdir(exist_ok=True)
    target = out / f"{doc_id}{Path(entry.template).suffix}"
    target.write_bytes(data)
    text = template_text(target)
    print(text)
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    print(f"\n--- {target} ({han} Chinese characters in the whole document incl. cover)")


if __name__ == "__main__":
    main()
