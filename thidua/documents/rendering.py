"""Fill a Word template from docx_templates/ with a plain context: render_docx(name, ctx) → bytes.

An agency may replace a built-in template with its own upload (documents.template_versions):
render_docx then takes the chosen file's bytes, and `template_problems` checks an upload
against the template's sample data before it is accepted, naming the line, the paragraph and
the field of every problem it finds.

Documents receive plain data (design.md §2): dicts, lists, strings, numbers, dates — never
model instances, whose lazy attribute access would run queries inside a template and tie
the documents app back to the others. The check below enforces it.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import segno
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment, StrictUndefined, TemplateSyntaxError, meta, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .vn_format import vn_upper

TEMPLATES_DIR = Path(__file__).resolve().parent / "docx_templates"

_NAME = re.compile(r"^[a-z0-9_]+\.docx$")
_SCALARS = (str, int, float, bool, Decimal, dt.date, type(None))
# XML 1.0 forbids most C0 controls, and docxtpl turns "\a" and "\f" into new paragraphs and
# page breaks: neither may come in from data typed by users. "\n" (a line break in Word) and
# "\t" (a tab) are kept on purpose.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


class ContextError(TypeError):
    """The context holds something that is not plain data."""


def template_path(template_name: str) -> Path:
    """Only bare names of files in docx_templates/: a name from a request can never walk
    out of the folder."""
    if not _NAME.match(template_name):
        raise ValueError(f"not a template name: {template_name!r}")
    path = TEMPLATES_DIR / template_name
    if not path.is_file():
        raise FileNotFoundError(path)
    return path


def plain(value: Any, where: str = "context") -> Any:
    """Check that `value` is plain data and return a copy with control characters removed
    from its strings."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ContextError(f"{where}: key {key!r} is not a string")
            out[key] = plain(item, f"{where}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [plain(item, f"{where}[{i}]") for i, item in enumerate(value)]
    raise ContextError(f"{where}: {type(value).__name__} is not plain data")


def environment() -> Environment:
    # Autoescape: a unit called "A & B" must reach the XML as "A &amp; B", not break it.
    # StrictUndefined: a tag the context does not fill (a typo in a clerk's edit, or a
    # generator that forgot a key) fails loudly instead of printing an empty line into an
    # official document.
    # Sandboxed: an agency's upload is Jinja code written outside the project; the sandbox
    # refuses `{{ x.__class__.__mro__ }}` and the like, which would otherwise reach Python.
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    # The filters the built-in templates use, so an agency's copy of them may use them too.
    env.filters["vn_upper"] = vn_upper
    return env


_environment = environment


class TemplateSource(Protocol):
    """A chosen template (documents.template_versions.TemplateChoice): a built-in key and the
    bytes of the file in force."""

    @property
    def key(self) -> str: ...

    @property
    def content(self) -> bytes: ...


def _open(template: str | bytes | TemplateSource) -> DocxTemplate:
    if isinstance(template, str):
        return DocxTemplate(template_path(template))
    data = template if isinstance(template, bytes) else template.content
    return DocxTemplate(io.BytesIO(data))


def _fill(
    doc: DocxTemplate,
    context: Mapping[str, Any],
    images: Mapping[str, bytes] | None,
    image_width_mm: float,
) -> bytes:
    data = plain(context)
    for name, png in (images or {}).items():
        data[name] = InlineImage(doc, io.BytesIO(png), width=Mm(image_width_mm))
    doc.render(data, jinja_env=environment(), autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render_docx(
    template_name: str | TemplateSource,
    context: Mapping[str, Any],
    *,
    images: Mapping[str, bytes] | None = None,
    image_width_mm: float = 18,
    content: bytes | None = None,
) -> bytes:
    """`template_name` is a file of docx_templates/ ("ke_hoach.docx") or a chosen template
    (an agency's version or the built-in, from `template_versions.active_template`);
    `content`, when given, is the file to fill instead of the built-in one.

    `images` (name → PNG bytes) are added to the checked context as inline pictures
    `image_width_mm` wide, e.g. the verification QR code.

    An uploaded file (`content`, or a chosen agency version) is filled in a child process
    with time and memory limits (documents.sandbox); a built-in one here."""
    uploaded = content
    chosen_upload = getattr(template_name, "version", None) is not None
    if uploaded is None and not isinstance(template_name, str) and chosen_upload:
        uploaded = template_name.content
    if uploaded is None:
        return _fill(_open(template_name), context, images, image_width_mm)
    from . import sandbox  # the parent's side; the child imports this module without Django

    try:
        return sandbox.render(bytes(uploaded), plain(context), images, image_width_mm)
    except sandbox.TemplateFailed as failure:
        if failure.kind == ContextError.__name__:
            raise ContextError(failure.detail) from None
        raise


def render_in_process(
    content: bytes,
    context: Mapping[str, Any],
    images: Mapping[str, bytes] | None,
    image_width_mm: float,
) -> bytes:
    """Fill `content` here: the child process's side of render_docx."""
    return _fill(_open(content), context, images, image_width_mm)


# Checking a template ------------------------------------------------------------------------

# Fields filled with pictures by the callers rather than with data from the context.
IMAGE_FIELDS = frozenset({"verification_qr"})
# docxtpl puts every paragraph on its own line before handing the XML to Jinja, so a line
# number in a Jinja error points at one paragraph; the same substitution is made here.
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH_SHOWN = 120


@dataclass(frozen=True)
class TemplateProblem:
    """One reason a template cannot be used. `kind` is "syntax" (Jinja cannot read it),
    "field" (a field the data does not have) or "render" (filling it with the data failed).
    `line` is the line Jinja reports in `part` — one paragraph per line — and `paragraph`
    its text as the clerk sees it in Word."""

    kind: str
    part: str
    line: int | None
    paragraph: str
    field: str = ""
    detail: str = ""


@dataclass(frozen=True)
class _SourcePart:
    name: str
    xml: str
    obj: Any
    # The visible text of each paragraph as written in Word, before docxtpl's clean-up.
    originals: tuple[str, ...]

    @property
    def lines(self) -> list[str]:
        return self.xml.splitlines()

    def paragraph(self, line: int | None) -> str:
        """The paragraph a Jinja line number points at, as the clerk sees it in Word.

        docxtpl strips the XML between an opening {{ and the next }}, so a tag missing a
        brace swallows the following paragraphs into its line ("Số: {{ so_hieu }{{ date }}");
        the longest paragraph of the original that the line starts with is the one the
        clerk must fix."""
        text = _visible(self.lines[line - 1]) if line and 1 <= line <= len(self.lines) else ""
        best = max((o for o in self.originals if o and text.startswith(o)), key=len, default="")
        return _shorten(best or text)


def _visible(xml: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", xml)).split())


def _shorten(text: str) -> str:
    return text if len(text) <= _PARAGRAPH_SHOWN else text[: _PARAGRAPH_SHOWN - 1] + "…"


def _parts(doc: DocxTemplate) -> list[_SourcePart]:
    """The XML of the body, headers and footers as docxtpl hands it to Jinja."""

    def part(name: str, xml: str, obj: Any) -> _SourcePart:
        originals = tuple(_visible(p) for p in _PARAGRAPH_START.sub(r"\n<w:p\1", xml).splitlines())
        prepared = _PARAGRAPH_START.sub(r"\n<w:p\1", doc.patch_xml(xml))
        return _SourcePart(name, prepared, obj, originals)

    doc.init_docx(reload=False)
    parts = [part("body", doc.get_xml(), doc.docx._part)]
    for name, uri in (("header", doc.HEADER_URI), ("footer", doc.FOOTER_URI)):
        for _key, header in doc.get_headers_footers(uri):
            parts.append(part(name, doc.get_part_xml(header), header))
    return parts


def template_fields(template: str | bytes | TemplateSource) -> list[str]:
    """The names a template reads from its context, sorted: what a clerk may use in {{ … }}
    is the sample's keys, and this is what a given file actually uses. A template Jinja
    cannot read has no field list: TemplateSyntaxError propagates."""
    env = environment()
    names: set[str] = set()
    for part in _parts(_open(template)):
        names |= meta.find_undeclared_variables(env.parse(part.xml))
    return sorted(names)


def template_problems(
    template: str | bytes | TemplateSource, sample: Mapping[str, Any]
) -> list[TemplateProblem]:
    """Everything that stops `template` from being filled with `sample`: Jinja syntax errors,
    fields the sample lacks (top-level names and attributes of its records, e.g.
    `signer.nmae`), then an actual rendering with the sample. Empty when the template is
    usable."""
    doc = _open(template)
    env = environment()
    parts = _parts(doc)
    problems: list[TemplateProblem] = []
    for part in parts:
        try:
            # from_string also compiles, which catches unknown filters and tests.
            env.from_string(part.xml)
            tree = env.parse(part.xml)
        except TemplateSyntaxError as error:
            problems.append(
                TemplateProblem(
                    kind="syntax",
                    part=part.name,
                    line=error.lineno,
                    paragraph=part.paragraph(error.lineno),
                    detail=error.message or str(error),
                )
            )
            continue
        problems.extend(_FieldChecker(part, sample, env).check(tree))
    if problems:
        return problems
    return _render_problems(doc, parts, sample)


@functools.cache
def _sample_qr() -> bytes:
    buffer = io.BytesIO()
    segno.make_qr("https://thidua.example/verify/SAMPLE").save(buffer, kind="png", scale=2)
    return buffer.getvalue()


def sample_images(sample: Mapping[str, Any]) -> dict[str, bytes]:
    """Stand-in pictures for the IMAGE_FIELDS, which samples leave out (a preview's QR)."""
    return {name: _sample_qr() for name in IMAGE_FIELDS}


def _render_problems(
    doc: DocxTemplate, parts: list[_SourcePart], sample: Mapping[str, Any]
) -> list[TemplateProblem]:
    images = sample_images(sample)
    context = {k: v for k, v in sample.items() if k not in images}
    try:
        _fill(doc, context, images, 18)
    except MemoryError:
        raise  # the sandbox's limit, reported as such
    except Exception as error:  # any failure at all means the template is unusable
        part = next((p for p in parts if p.obj is doc.current_rendering_part), None)
        line = _template_line(error.__traceback__)
        return [
            TemplateProblem(
                kind="render",
                part=part.name if part else "body",
                line=line,
                paragraph=part.paragraph(line) if part else "",
                detail=str(error),
            )
        ]
    return []


def _template_line(tb: types.TracebackType | None) -> int | None:
    # Jinja rewrites the traceback so that template frames carry the template's line.
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


_OPAQUE = object()  # a value the checker cannot follow (a loop counter, a filter's result)


class _FieldChecker:
    """Walks a template's syntax tree with the sample data beside it, following records and
    the first item of lists through {% for %} loops, and notes every name or attribute the
    data does not have, with the line it is first used on."""

    def __init__(self, part: _SourcePart, sample: Mapping[str, Any], env: Environment):
        self.part = part
        self.sample = sample
        self.globals = set(env.globals)
        self.missing: dict[str, int] = {}

    def check(self, tree: nodes.Template) -> list[TemplateProblem]:
        self.walk(tree, {})
        return [
            TemplateProblem(
                kind="field",
                part=self.part.name,
                line=line,
                paragraph=self.part.paragraph(line),
                field=field,
            )
            for field, line in sorted(self.missing.items(), key=lambda item: item[1])
        ]

    def note(self, field: str, line: int) -> None:
        self.missing.setdefault(field, line)

    def walk(self, node: nodes.Node, scope: dict[str, tuple[Any, str]]) -> None:
        if isinstance(node, nodes.For):
            self.walk(node.iter, scope)
            items = self.value(node.iter, scope)
            first = items[0] if isinstance(items, list | tuple) and items else _OPAQUE
            inner = dict(scope)
            for target in node.target.find_all(nodes.Name):
                inner[target.name] = (_OPAQUE, target.name)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = (first, node.target.name)
            inner["loop"] = (_OPAQUE, "loop")
            if node.test is not None:
                self.walk(node.test, inner)
            self.walk_all(node.body, inner)
            self.walk_all(node.else_, scope)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            for child in node.iter_child_nodes():
                if child is not node.target:
                    self.walk(child, scope)
            for target in node.target.find_all(nodes.Name):
                scope[target.name] = (_OPAQUE, target.name)
            return
        if isinstance(node, nodes.With | nodes.Macro | nodes.CallBlock | nodes.FilterBlock):
            inner = dict(scope)
            for target in node.find_all(nodes.Name):
                if target.ctx in ("store", "param"):
                    inner[target.name] = (_OPAQUE, target.name)
            for child in node.iter_child_nodes():
                self.walk(child, inner)
            return
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.value(node, scope)
            return
        self.walk_all(node.iter_child_nodes(), scope)

    def walk_all(self, children: Iterable[nodes.Node], scope: dict[str, tuple[Any, str]]) -> None:
        for child in children:
            self.walk(child, scope)

    def value(self, node: nodes.Node, scope: dict[str, tuple[Any, str]]) -> Any:
        if isinstance(node, nodes.Name):
            if node.ctx != "load":
                return _OPAQUE
            if node.name in scope:
                return scope[node.name][0]
            if node.name in self.sample:
                return self.sample[node.name]
            if node.name not in IMAGE_FIELDS and node.name not in self.globals:
                self.note(node.name, node.lineno)
            return _OPAQUE
        if isinstance(node, nodes.Getattr):
            return self.member(node, node.node, node.attr, scope)
        if isinstance(node, nodes.Getitem):
            self.walk(node.arg, scope)
            if isinstance(node.arg, nodes.Const):
                return self.member(node, node.node, node.arg.value, scope)
            self.value(node.node, scope)
            return _OPAQUE
        self.walk(node, scope)
        return _OPAQUE

    def member(
        self, node: nodes.Node, base_node: nodes.Node, key: Any, scope: dict[str, tuple[Any, str]]
    ) -> Any:
        base = self.value(base_node, scope)
        if isinstance(base, Mapping):
            if key in base:
                return base[key]
            if isinstance(key, str) and hasattr(base, key):
                return _OPAQUE  # a dict method such as items()
            self.note(_expression(node), node.lineno)
            return _OPAQUE
        if isinstance(base, list | tuple) and isinstance(key, int):
            return base[key] if -len(base) <= key < len(base) else _OPAQUE
        return _OPAQUE


def _expression(node: nodes.Node) -> str:
    """The field as written in the template: "signer.nmae", "blocks[0].leader"."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expression(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_expression(node.node)}[{node.arg.value!r}]"
    return "…"
