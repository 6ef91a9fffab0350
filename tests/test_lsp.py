"""`kerasspec lsp` end to end: a real client (pytest-lsp) drives the server over stdio.

The server is started once per module as `python -m kerasspec lsp`; each test opens its
own documents. What the editor is shown is compared with what `kerasspec check` says
about the same text, so the two cannot drift apart. One test repeats the essentials in
a real editor, Neovim's built-in client, headless (skipped where `nvim` is not installed).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the `lsp` extra (pygls) is not installed")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed")

from lsprotocol import types as T  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

import kerasspec  # noqa: E402
from kerasspec import fixes  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CONVNET = EXAMPLES / "keras_io_mnist_convnet.yaml"
INVALID = EXAMPLES / "invalid"

#: Every test that talks to the server runs in the module's event loop, beside its client.
asyncio_test = pytest.mark.asyncio(loop_scope="module")


def _recording_client() -> LanguageClient:
    """pytest-lsp's client, keeping every publishDiagnostics (a test waits for a given version)."""
    from pygls.protocol import default_converter
    from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]

    def publish(client: LanguageClient, params: T.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)  # type: ignore[attr-defined]

    register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, T.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish})
    return client


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(
        server_command=[sys.executable, "-m", "kerasspec", "lsp"],
        server_env={**os.environ, "PYTHONPATH": str(ROOT)},
        client_factory=_recording_client,
    ),
)
async def client(lsp_client: LanguageClient):  # type: ignore[no-untyped-def]
    capabilities = T.ClientCapabilities(
        text_document=T.TextDocumentClientCapabilities(
            code_action=T.CodeActionClientCapabilities(
                resolve_support=T.ClientCodeActionResolveOptions(properties=["edit"])
            ),
            document_symbol=T.DocumentSymbolClientCapabilities(hierarchical_document_symbol_support=True),
        )
    )
    # No debounce in tests: each change's diagnostics come at once.
    result = await lsp_client.initialize_session(
        T.InitializeParams(capabilities=capabilities, initialization_options={"debounce_ms": 0})
    )
    lsp_client.kerasspec_init = result  # type: ignore[attr-defined]  # for test_capabilities
    yield
    await lsp_client.shutdown_session()


# --------------------------------------------------------------------------- helpers

_opened = 0


def _uri(path: Path) -> str:
    return path.resolve().as_uri()


async def _open(client: LanguageClient, path: Path, text: str | None = None, language: str = "yaml") -> tuple[str, list[T.Diagnostic]]:
    """Open ``path`` (with ``text`` if given) and wait for its first diagnostics."""
    global _opened
    _opened += 1
    uri = _uri(path)
    if text is None:
        text = path.read_text(encoding="utf-8")
    client.text_document_did_open(
        T.DidOpenTextDocumentParams(text_document=T.TextDocumentItem(uri=uri, language_id=language, version=1, text=text))
    )
    return uri, await _diagnostics(client, uri, 1)


async def _diagnostics(client: LanguageClient, uri: str, version: int, timeout: float = 60) -> list[T.Diagnostic]:
    """The diagnostics the server publishes for ``uri`` at ``version`` (the first such publication)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    published: list[T.PublishDiagnosticsParams] = client.published  # type: ignore[attr-defined]
    while loop.time() < deadline:
        for i, params in enumerate(published):
            if params.uri == uri and params.version == version:
                del published[: i + 1]
                return list(params.diagnostics)
        await asyncio.sleep(0.005)
    raise TimeoutError(f"no diagnostics for {uri} version {version} in {timeout} s")


def _close(client: LanguageClient, uri: str) -> None:
    client.text_document_did_close(T.DidCloseTextDocumentParams(text_document=T.TextDocumentIdentifier(uri=uri)))


def _pos(text: str, needle: str, nth: int = 0, delta: int = 0) -> T.Position:
    """The LSP position of the ``nth`` occurrence of ``needle`` (ASCII texts), ``delta`` characters in."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    at += delta
    line = text.count("\n", 0, at)
    return T.Position(line=line, character=at - (text.rfind("\n", 0, at) + 1))


def _apply(text: str, edits: list[T.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(p: T.Position) -> int:
        return starts[p.line] + p.character if p.line < len(starts) else len(text)

    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(e.range.start)] + e.new_text + text[offset(e.range.end) :]
    return text


def _word(text: str, r: T.Range) -> str:
    lines = text.splitlines(keepends=True)
    assert r.start.line == r.end.line, r
    return lines[r.start.line][r.start.character : r.end.character]


# --------------------------------------------------------------------------- the session


@asyncio_test
async def test_capabilities(client: LanguageClient) -> None:
    result: T.InitializeResult = client.kerasspec_init  # type: ignore[attr-defined]
    caps = result.capabilities
    assert result.server_info is not None and result.server_info.name == "kerasspec"
    assert caps.hover_provider and caps.inlay_hint_provider and caps.completion_provider
    assert caps.document_symbol_provider
    assert isinstance(caps.code_action_provider, T.CodeActionOptions) and caps.code_action_provider.resolve_provider
    sync = caps.text_document_sync
    assert isinstance(sync, T.TextDocumentSyncOptions) and sync.change == T.TextDocumentSyncKind.Incremental


@asyncio_test
@pytest.mark.parametrize(
    "path",
    [p for p in sorted(INVALID.iterdir()) if p.suffix in (".yaml", ".json") and not p.name.startswith("KS110")],
    ids=lambda p: p.name,
)
async def test_diagnostics_are_those_of_check(client: LanguageClient, path: Path) -> None:
    """The same findings, codes, positions, messages and hints as `kerasspec check` on the file."""
    uri, got = await _open(client, path, language="json" if path.suffix == ".json" else "yaml")
    _close(client, uri)
    want = kerasspec.check(path)
    assert [d.code for d in got] == [d.code for d in want]
    for g, w in zip(got, want, strict=True):
        assert g.source == "kerasspec"
        assert g.message == (w.message if not w.hint else f"{w.message}\nhint: {w.hint}")
        assert (g.range.start.line, g.range.start.character) == (w.line - 1, w.column - 1)  # ASCII examples
        assert g.severity == (T.DiagnosticSeverity.Error if w.severity == "error" else T.DiagnosticSeverity.Warning)
        assert g.code_description is not None and g.code_description.href.endswith(f"#{w.code.lower()}")


@asyncio_test
async def test_ranges_cover_the_value_or_key_blamed(client: LanguageClient) -> None:
    for name, word in (
        ("KS201_unknown_field.yaml", "kernal_size"),
        ("KS207_unknown_activation.yaml", "softmx"),
        ("KS202_unknown_layer_type.yaml", "Conv2d"),
        ("KS201_unknown_field.json", '"activaton"'),
        ("KS209_unknown_loss.yaml", "sparse_categorical_cross_entropy"),
    ):
        path = INVALID / name
        uri, got = await _open(client, path, language=path.suffix[1:])
        _close(client, uri)
        assert len(got) == 1 and _word(path.read_text(), got[0].range) == word, (name, got)


@asyncio_test
async def test_did_change_republishes(client: LanguageClient) -> None:
    text = CONVNET.read_text()
    uri, got = await _open(client, CONVNET.with_name("convnet_edit.yaml"), text)
    assert got == []
    # An incremental change: `softmax` -> `softmx`.
    at = _pos(text, "softmax", delta=5)
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[T.TextDocumentContentChangePartial(range=T.Range(start=at, end=T.Position(line=at.line, character=at.character + 1)), text="")],
    ))
    got = await _diagnostics(client, uri, 2)
    assert [(d.code, d.range.start.line) for d in got] == [("KS207", at.line)]
    assert "did you mean 'softmax'?" in got[0].message
    # Two changes in one notification, the second's range in the text the first left.
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=3),
        content_changes=[
            T.TextDocumentContentChangePartial(range=T.Range(start=at, end=at), text="a"),  # softmax again
            T.TextDocumentContentChangePartial(range=T.Range(start=_pos(text, "filters: 32", delta=9), end=_pos(text, "filters: 32", delta=11)), text="0"),
        ],
    ))
    got = await _diagnostics(client, uri, 3)
    assert [d.code for d in got] == ["KS205"]  # filters: 0
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=4),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=text)],
    ))
    assert await _diagnostics(client, uri, 4) == []
    _close(client, uri)


@asyncio_test
async def test_inlay_hints_show_each_layer_and_the_total(client: LanguageClient) -> None:
    text = CONVNET.read_text()
    uri, _ = await _open(client, CONVNET)
    hints = await client.text_document_inlay_hint_async(T.InlayHintParams(
        text_document=T.TextDocumentIdentifier(uri=uri),
        range=T.Range(start=T.Position(line=0, character=0), end=T.Position(line=len(text.splitlines()), character=0)),
    ))
    _close(client, uri)
    summary = kerasspec.summarize(CONVNET)
    lines = text.splitlines()
    assert hints is not None
    total, *per_layer = hints
    assert total.label == f"total {summary.total_params:,} params → (None, 10)"
    assert lines[total.position.line].startswith("layers:")
    assert len(per_layer) == len(summary.layers) == 7
    for hint, layer in zip(per_layer, summary.layers, strict=True):
        shape = "(" + ", ".join("None" if d is None else str(d) for d in layer.output_shape) + ")"
        assert hint.label == f"{shape} · {layer.params:,} param{'s' * (layer.params != 1)}"
        line = lines[hint.position.line]
        assert line.strip() == f"- type: {layer.type}" and hint.position.character == len(line)


@asyncio_test
async def test_hover_on_a_layer_shows_the_rule_applied(client: LanguageClient) -> None:
    text = CONVNET.read_text()
    uri, _ = await _open(client, CONVNET)

    async def hover(pos: T.Position) -> str:
        h = await client.text_document_hover_async(T.HoverParams(text_document=T.TextDocumentIdentifier(uri=uri), position=pos))
        assert h is not None and isinstance(h.contents, T.MarkupContent)
        return h.contents.value

    second_conv = await hover(_pos(text, "type: Conv2D", nth=1, delta=8))
    assert "**conv2d_1** · `Conv2D` (keras.layers.Conv2D)" in second_conv
    assert "input `(None, 13, 13, 32)` → output **`(None, 11, 11, 64)`**" in second_conv
    assert "rows, VALID: floor((13 - 3) / 1) + 1 = 11" in second_conv
    assert "params **18,496**: kernel (3, 3, 32, 64) = 18,432; bias (64,) = 64" in second_conv
    pool = await hover(_pos(text, "pool_size", nth=1))
    assert "Keras default: `[2, 2]`" in pool
    assert "rows, VALID: floor((11 - 2) / 2) + 1 = 5" in pool
    flatten = await hover(_pos(text, "Flatten"))
    assert "input `(None, 5, 5, 64)` → output **`(None, 1600)`**" in flatten
    _close(client, uri)

    # A strided SAME convolution and a dilated one.
    spec = textwrap.dedent("""\
        input_shape: [26, 26, 3]
        layers:
          - type: Conv2D
            filters: 8
            kernel_size: 3
            strides: 2
            padding: same
          - type: Conv2D
            filters: 8
            kernel_size: 3
            dilation_rate: 2
        """)
    uri, _ = await _open(client, CONVNET.with_name("strided.yaml"), spec)
    strided = await hover(_pos(spec, "Conv2D"))
    assert "rows, SAME: ceil(26 / 2) = 13" in strided
    dilated = await hover(_pos(spec, "Conv2D", nth=1))
    assert "rows, VALID: floor((13 - 5) / 1) + 1 = 9 (kernel 3 dilated by 2 spans 5)" in dilated
    _close(client, uri)


@asyncio_test
async def test_hover_on_a_code_shows_the_rule(client: LanguageClient) -> None:
    path = INVALID / "KS406_output_rank_too_high.yaml"
    text = path.read_text()
    uri, diags = await _open(client, path)
    on_comment = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=uri), position=_pos(text, "KS406", delta=2)))
    on_finding = await client.text_document_hover_async(T.HoverParams(
        text_document=T.TextDocumentIdentifier(uri=uri), position=diags[0].range.start))
    _close(client, uri)
    for h in (on_comment, on_finding):
        assert h is not None and isinstance(h.contents, T.MarkupContent)
        assert kerasspec.RULES["KS406"].summary in h.contents.value
        assert "**KS406 output-rank-too-high** (error)" in h.contents.value
    assert "**Why it matters.**" in on_comment.contents.value  # docs/rules.md, in a checkout


@asyncio_test
async def test_completion(client: LanguageClient) -> None:
    text = CONVNET.read_text().replace("  - type: Flatten\n", "  - type: Fla\n").replace(
        "    rate: 0.5\n", "    rate: 0.5\n    \n").replace("  dataset: mnist\n", "  dataset: mnist\n  labels: \n", 1)
    text = text.replace("  labels: one_hot\n", "")
    uri, _ = await _open(client, CONVNET.with_name("complete.yaml"), text)

    async def complete(pos: T.Position) -> list[T.CompletionItem]:
        got = await client.text_document_completion_async(T.CompletionParams(
            text_document=T.TextDocumentIdentifier(uri=uri), position=pos))
        assert isinstance(got, T.CompletionList)
        return list(got.items)

    types = await complete(_pos(text, "type: Fla", delta=9))
    labels = {i.label for i in types}
    assert {"Flatten", "Conv2D", "MaxPool2D", "Dense"} <= labels
    assert set(kerasspec.layers.TYPE_SPELLINGS) == labels
    fields = {i.label: i for i in await complete(_pos(text, "rate: 0.5\n    ", delta=14))}
    assert "seed" in fields and "rate" not in fields  # Dropout's other fields
    assert fields["seed"].detail == "default: null"
    choices = {i.label: i for i in await complete(_pos(text, "labels: ", delta=8))}
    assert set(choices) == {"sparse", "one_hot"}
    conv = text.replace("    kernel_size: [3, 3]\n", "    kernel_size: [3, 3]\n    padding: \n", 1)
    client.text_document_did_change(T.DidChangeTextDocumentParams(
        text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[T.TextDocumentContentChangeWholeDocument(text=conv)]))
    await _diagnostics(client, uri, 2)
    padding = {i.label: i for i in await complete(_pos(conv, "padding: ", delta=9))}
    assert set(padding) == {"valid", "same"} and padding["valid"].detail == "Keras default"
    _close(client, uri)


@asyncio_test
async def test_code_actions_fix_and_the_result_passes_check(client: LanguageClient) -> None:
    for name, safe in (("KS201_unknown_field.yaml", True), ("KS406_output_rank_too_high.yaml", True),
                       ("KS401_loss_label_encoding.yaml", True), ("KS402_units_vs_classes.yaml", False),
                       ("KS201_unknown_field.json", True)):
        path = INVALID / name
        text = path.read_text()
        uri, diags = await _open(client, path, language=path.suffix[1:])
        actions = await client.text_document_code_action_async(T.CodeActionParams(
            text_document=T.TextDocumentIdentifier(uri=uri), range=diags[0].range,
            context=T.CodeActionContext(diagnostics=diags)))
        assert actions
        quick = [a for a in actions if isinstance(a, T.CodeAction) and a.kind == T.CodeActionKind.QuickFix]
        assert quick, (name, actions)
        first = quick[0]
        assert bool(first.is_preferred) is safe and ("[unsafe]" in first.title) is not safe, first.title
        assert first.edit is not None and first.edit.changes is not None
        fixed = _apply(text, list(first.edit.changes[uri]))
        assert not [d for d in kerasspec.check(fixed) if d.severity == "error"], (name, fixed)
        comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
        assert all(c in fixed.splitlines() for c in comments)
        fix_all = [a for a in actions if isinstance(a, T.CodeAction) and a.kind == "source.fixAll.kerasspec"]
        assert bool(fix_all) is safe
        if fix_all:
            resolved = await client.code_action_resolve_async(fix_all[0])
            assert resolved.edit is not None and resolved.edit.changes is not None
            assert _apply(text, list(resolved.edit.changes[uri])) == fixes.fix_text(text, file=path).text
        _close(client, uri)


@asyncio_test
async def test_document_symbols_outline_the_layers(client: LanguageClient) -> None:
    uri, _ = await _open(client, CONVNET)
    symbols = await client.text_document_document_symbol_async(T.DocumentSymbolParams(
        text_document=T.TextDocumentIdentifier(uri=uri)))
    _close(client, uri)
    assert symbols is not None
    by_name = {s.name: s for s in symbols if isinstance(s, T.DocumentSymbol)}
    assert list(by_name) == ["name", "input_shape", "layers", "compile", "fit", "data"]
    layers = by_name["layers"].children or []
    assert [s.name for s in layers] == [layer.name for layer in kerasspec.summarize(CONVNET).layers]
    assert layers[0].detail == "Conv2D → (None, 26, 26, 32), 320 params"


HOSTILE: dict[str, str] = {
    "empty.yaml": "",
    "scalar.yaml": "42",
    "list.yaml": "- 1\n- 2\n",
    "deep.json": "[" * 5000 + "]" * 5000,
    "deep.yaml": "a: " + "[" * 3000,
    "alias.yaml": "a: &x [1, 2]\nb: *x\nlayers: *x\n",
    "tabs.yaml": "layers:\n\t- type: Dense\n",
    "binary.yaml": "\x00\x01\x02layers:\ufffe\n",
    "surrogate.json": '{"name": "\\ud800", "layers": [{"type": "Dense", "units": 1e400}]}',
    "crlf.yaml": "input_shape: [4]\r\nlayers:\r\n  - type: Dense\r\n    units: 2\r\n",
    "unicode.yaml": "name: 模型😀\ninput_shape: [4]\nlayers:\n  - {type: Dense, units: 2, name: ñ😀}\n",
    "huge.yaml": "layers:\n" + "  - type: Dense\n    units: 1\n" * 40_000,
    "weird.yaml": "layers: [{type: [Dense]}, {type: {a: 1}}, null, 5, {type: Repeat, times: 3, layers: []}]\n",
}


@asyncio_test
async def test_hostile_documents_never_crash_the_server(client: LanguageClient) -> None:
    for name, text in HOSTILE.items():
        uri = f"file:///tmp/kerasspec-hostile/{name}"
        client.text_document_did_open(T.DidOpenTextDocumentParams(text_document=T.TextDocumentItem(
            uri=uri, language_id="json" if name.endswith(".json") else "yaml", version=1, text=text)))
        diags = await _diagnostics(client, uri, 1)
        if name == "huge.yaml":
            assert [d.code for d in diags] == ["KS105"]
        lines = max(text.count("\n"), 1)
        for line in (0, lines // 2, lines):
            pos = T.Position(line=line, character=3)
            ident = T.TextDocumentIdentifier(uri=uri)
            await client.text_document_hover_async(T.HoverParams(text_document=ident, position=pos))
            await client.text_document_completion_async(T.CompletionParams(text_document=ident, position=pos))
            await client.text_document_inlay_hint_async(T.InlayHintParams(text_document=ident, range=T.Range(
                start=T.Position(line=0, character=0), end=pos)))
            await client.text_document_code_action_async(T.CodeActionParams(text_document=ident, range=T.Range(
                start=pos, end=pos), context=T.CodeActionContext(diagnostics=diags)))
            await client.text_document_document_symbol_async(T.DocumentSymbolParams(text_document=ident))
        # A change whose range lies past the end of the text is clamped, not fatal.
        client.text_document_did_change(T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[T.TextDocumentContentChangePartial(range=T.Range(
                start=T.Position(line=10**6, character=5), end=T.Position(line=10**6 + 1, character=0)), text="x")]))
        await _diagnostics(client, uri, 2)
        _close(client, uri)
    errors = [m.message for m in client.log_messages if m.type == T.MessageType.Error]
    assert errors == []
    # Still serving.
    uri, got = await _open(client, INVALID / "KS207_unknown_activation.yaml")
    assert [d.code for d in got] == ["KS207"]
    _close(client, uri)


# --------------------------------------------------------------------------- positions (no server)


def test_utf16_positions_and_unicode_line_breaks() -> None:
    from kerasspec.lsp import LspIndex, lsp_diagnostics

    # A character outside the BMP counts 2 UTF-16 units; U+2028 ends a line for YAML (and the
    # loader's line numbers) but not for LSP: positions must follow the client's rules.
    text = "# 😀 a comment\u2028name: net # 😀😀\ninput_shape: [4]\nlayers:\n  - {type: Dense, units: 2, activation: sofmax} # 😀\n"
    ctx = fixes.analyse(text, fmt="yaml")
    index = LspIndex(text)
    (d,) = lsp_diagnostics(ctx, index)
    text = text.replace("- {", "- {name: 😀_1, ")  # and a non-ASCII character before it on its line
    ctx = fixes.analyse(text, fmt="yaml")
    index = LspIndex(text)
    d = next(d for d in lsp_diagnostics(ctx, index) if d.code == "KS207")
    assert _word_utf16(text, d.range) == "sofmax"
    loader_line = next(x.line for x in ctx.result.diagnostics if x.code == "KS207")
    assert d.range.start.line == 3 and loader_line == 5  # LSP's line 3 is the loader's line 5
    assert LspIndex(text, "utf-32").position(text.index("sofmax")).character == text.index("sofmax") - text.rfind("\n", 0, text.index("sofmax")) - 1
    for offset in range(len(text) + 1):
        assert index.offset(index.position(offset)) == offset or text[offset - 1 : offset] in ("\n", "\r") or offset == len(text)


def _word_utf16(text: str, r: T.Range) -> str:
    line = text.split("\n")[r.start.line].encode("utf-16-le")
    return line[2 * r.start.character : 2 * r.end.character].decode("utf-16-le")


# --------------------------------------------------------------------------- a real editor

NVIM_SCRIPT = r"""
local spec, out, python, root = _G.arg_spec, _G.arg_out, _G.arg_python, _G.arg_root
vim.cmd('edit ' .. vim.fn.fnameescape(spec))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({
  name = 'kerasspec',
  cmd = {python, '-m', 'kerasspec', 'lsp'},
  cmd_env = {PYTHONPATH = root},
  root_dir = root,
})
vim.lsp.buf_attach_client(buf, id)
local ok = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
local result = {attached = ok, diagnostics = {}}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  table.insert(result.diagnostics, {code = d.code, lnum = d.lnum, col = d.col, end_col = d.end_col,
                                    message = d.message, severity = d.severity})
end
-- hover over the diagnostic's value, through the same client
local line = result.diagnostics[1] and result.diagnostics[1].lnum or 0
local col = result.diagnostics[1] and result.diagnostics[1].col or 0
local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover',
  {textDocument = {uri = vim.uri_from_bufnr(buf)}, position = {line = line, character = col}}, 10000)
for _, r in pairs(hover or {}) do
  if r.result and r.result.contents then result.hover = r.result.contents.value end
end
local f = io.open(out, 'w'); f:write(vim.fn.json_encode(result)); f:close()
vim.lsp.stop_client(id)
vim.cmd('qa!')
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim is not installed (apt-get install neovim)")
def test_neovim_shows_the_diagnostics(tmp_path: Path) -> None:
    spec = tmp_path / "model.yaml"
    shutil.copy(INVALID / "KS207_unknown_activation.yaml", spec)
    out = tmp_path / "diagnostics.json"
    script = tmp_path / "drive.lua"
    script.write_text(
        f"_G.arg_spec = {json.dumps(str(spec))}\n_G.arg_out = {json.dumps(str(out))}\n"
        f"_G.arg_python = {json.dumps(sys.executable)}\n_G.arg_root = {json.dumps(str(ROOT))}\n" + NVIM_SCRIPT
    )
    proc = subprocess.run(["nvim", "--headless", "--clean", "-n", "-u", "NONE", "-S", str(script)],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert out.exists(), (proc.returncode, proc.stdout, proc.stderr)
    result: dict[str, Any] = json.loads(out.read_text())
    assert result["attached"], result
    (d,) = kerasspec.check(spec)
    (got,) = result["diagnostics"]
    assert got["code"] == d.code == "KS207"
    assert (got["lnum"], got["col"]) == (d.line - 1, d.column - 1)
    assert got["end_col"] - got["col"] == len("softmx")
    assert got["message"] == f"{d.message}\nhint: {d.hint}"
    assert "KS207 unknown-activation" in result.get("hover", "")


def test_benchmark_script_runs() -> None:
    """A tiny run of benchmarks/bench_lsp.py, so that the script cannot rot (no assertion on speed)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import bench_lsp

    assert "layers:" in bench_lsp.spec_300_layers() and not kerasspec.check(bench_lsp.spec_300_layers())
    res = bench_lsp.run(2, only=("convnet",))
    entry = res["documents"]["convnet"]
    for mode in ("default", "no_debounce"):
        assert entry[mode]["latency_s"]["n"] == 2 and entry[mode]["latency_s"]["median"] > 0
        assert entry[mode]["diagnostics_per_version"] == [0, 1]  # the edit alternates a finding
        assert entry[mode]["burst"]["changes"] == 10
    assert entry["no_debounce"]["burst"]["published"] == 10
    assert "keras.io convnet" in bench_lsp.render(res)


SHAPE_RULE_CASES = [
    ({"type": "Conv1D", "filters": 2, "kernel_size": 5, "strides": 2}, [50, 3], ["steps, VALID: floor((50 - 5) / 2) + 1 = 23"]),
    ({"type": "Conv1D", "filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, [50, 3],
     ["steps, CAUSAL: ceil(50 / 1) = 50 (kernel 3 dilated by 2 spans 5)"]),
    ({"type": "Conv2D", "filters": 2, "kernel_size": [3, 5], "strides": [2, 1], "padding": "SAME"}, [26, 26, 1],
     ["rows, SAME: ceil(26 / 2) = 13", "cols, SAME: ceil(26 / 1) = 26"]),
    ({"type": "Conv2D", "filters": 2, "kernel_size": 3, "data_format": "channels_first"}, [1, 26, 20],
     ["rows, VALID: floor((26 - 3) / 1) + 1 = 24", "cols, VALID: floor((20 - 3) / 1) + 1 = 18"]),
    ({"type": "Conv3D", "filters": 2, "kernel_size": 3, "strides": 2}, [9, 9, 9, 1],
     ["depth, VALID: floor((9 - 3) / 2) + 1 = 4", "rows, VALID: floor((9 - 3) / 2) + 1 = 4", "cols, VALID: floor((9 - 3) / 2) + 1 = 4"]),
    ({"type": "SeparableConv2D", "filters": 4, "kernel_size": 3, "strides": 2}, [26, 26, 3],
     ["rows, VALID: floor((26 - 3) / 2) + 1 = 12", "cols, VALID: floor((26 - 3) / 2) + 1 = 12"]),
    ({"type": "DepthwiseConv2D", "kernel_size": 3, "dilation_rate": 3}, [20, 20, 3],
     ["rows, VALID: floor((20 - 7) / 1) + 1 = 14 (kernel 3 dilated by 3 spans 7)", "cols, VALID: floor((20 - 7) / 1) + 1 = 14 (kernel 3 dilated by 3 spans 7)"]),
    ({"type": "Conv2DTranspose", "filters": 2, "kernel_size": 3, "strides": 2}, [7, 7, 4],
     ["rows, VALID: (7 - 1) × 2 + max(3, 2) = 15", "cols, VALID: (7 - 1) × 2 + max(3, 2) = 15"]),
    ({"type": "Conv2DTranspose", "filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, [7, 7, 4],
     ["rows, SAME: 7 × 2 = 14", "cols, SAME: 7 × 2 = 14"]),
    ({"type": "MaxPooling2D", "pool_size": 3, "strides": 2}, [26, 26, 1],
     ["rows, VALID: floor((26 - 3) / 2) + 1 = 12", "cols, VALID: floor((26 - 3) / 2) + 1 = 12"]),
    ({"type": "AveragePooling1D", "pool_size": 4, "padding": "same"}, [10, 2], ["steps, SAME: ceil(10 / 4) = 3"]),
]


@pytest.mark.parametrize(("layer", "given", "expected"), SHAPE_RULE_CASES, ids=lambda v: v.get("type") if isinstance(v, dict) else None)
def test_shape_rule_reproduces_the_analysis(layer: dict[str, Any], given: list[int], expected: list[str]) -> None:
    """The hover's arithmetic is shown only where it gives the analysed size; here it must."""
    from kerasspec.lsp import shape_rule, written_layers

    ctx = fixes.analyse(json.dumps({"input_shape": given, "layers": [layer]}), fmt="json")
    assert [d.code for d in ctx.result.diagnostics if d.severity == "error"] == []
    (w,) = written_layers(ctx)
    info, shape = w.infos[0]
    from kerasspec.lsp import _layer_object

    assert shape_rule(_layer_object(layer), shape, info.output_shape) == expected
