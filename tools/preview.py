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
from docgen.catalog import TemplateSet, builtin_templates, included, load_catalog  # noqa: E402
from docgen.context import profile_context  # noqa: E402
from docgen.control import Registry, doc_context, number_documents  # noqa: E402
from docgen.profile import load_profile  # noqa: E402
from docgen.render.excel import render_xlsx  # noqa: E402
from docgen.render.word import load_base, render_docx  # noqa: E402
from docgen.visuals import visuals  # noqa: E402


def main() -> None:
    doc_id = sys.argv[1]
    profile_path = sys.argv[2] if len(sys.argv) > 2 else "samples/company.yaml"
    ts = TemplateSet(builtin_templates())
    entries = load_catalog(ts, require_files=False)
    entry = next(e for e in entries if e.id == doc_id)
    compile_all(ROOT, {Path(entry.template).with_suffix("").as_posix()})
    profile = load_profile(profile_path)
    ctx = profile_context(profile)
    chosen = [e for e in entries if included(e, ctx)]
    if entry not in chosen:
        print(f"{doc_id} is left out for {profile_path} by its condition: {entry.when}")
        return
    docs = number_documents(chosen, profile)
    ctx.update(Registry(docs, {e.id for e in entries}).functions())
    ctx.update(visuals(ctx))
    doc = next(d for d in docs if d.entry.id == doc_id)
    ctx["doc"] = doc_context(doc, profile, ctx["dept_for"](entry.owner)["name"])
    out = Path("/tmp/preview")
    out.mkdir(exist_ok=True)
    when = dt.datetime(2026, 9, 1, 12)
    try:
        if entry.template.endswith(".docx"):
            data = render_docx(load_base(ts.path("_base/base.docx")), ts.path(entry.template), ctx, when)
        else:
            data = render_xlsx(ts.path(entry.template), ctx, when, entry.title)
    except ExceptionGroup as group:
        for e in group.exceptions:
            print(f"ERROR {entry.template}: {getattr(e, 'part', '')}, {getattr(e, 'place', '')}: {e}")
        sys.exit(1)
    target = out / f"{doc_id}{Path(entry.template).suffix}"
    target.write_bytes(data)
    if target.suffix == ".docx":
        import docx

        d = docx.Document(str(target))
        body = d.element.body
        texts = []
        for el in body.iter():
            if el.tag.endswith("}p"):
                t = "".join(x.text or "" for x in el.iter() if x.tag.endswith("}t"))
                if t:
                    texts.append(t)
        text = "\n".join(texts)
    else:
        import openpyxl

        wb = openpyxl.load_workbook(target)
        text = "\n".join(
            " | ".join(str(v) for v in row if v is not None)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
            if any(v is not None for v in row)
        )
    print(text)
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    print(f"\n--- {target} ({han} Chinese characters in the whole document incl. cover)")


if __name__ == "__main__":
    main()
