"""The static parts of the sandbox's HTML view (html.py): its stylesheet, its inline script
and the document icon. Plain CSS and unframeworked JavaScript, no build step.

The stylesheet follows the Google Docs defaults for a new document: a US-letter page (8.5in
wide, 1in margins) on a grey canvas, Arial 11pt at 1.15 line spacing, Title 26pt, Heading 1
20pt, Heading 2 16pt, Heading 3 14pt #434343, Heading 4 12pt #666666, Heading 5 11pt #666666,
Heading 6 11pt italic #666666, headings in regular weight; lists indent 36pt per level with
the glyph 18pt before the text. Arial falls back to Liberation Sans (metric-compatible) and
emoji to Noto Color Emoji where those are what the machine has.

The script edits the document the way a collaborator's browser does: every change is one
documents.batchUpdate POSTed to the sandbox's own Docs endpoint, with the page's revision as
writeControl.requiredRevisionId, so an edit from a stale page fails (400) and nothing is
half-applied. Indexes come from each item's data-start / data-end; JS strings count UTF-16
code units, as the Docs API does. After an edit the page reloads.
"""

from __future__ import annotations

from urllib.parse import quote

DOC_ICON = (
    "<svg viewBox='0 0 24 32' width='24' height='32' aria-hidden='true'>"
    "<path d='M2 0h14l8 8v22a2 2 0 0 1-2 2H2a2 2 0 0 1-2-2V2a2 2 0 0 1 2-2z' fill='#4285f4'/>"
    "<path d='M16 0l8 8h-6a2 2 0 0 1-2-2z' fill='#a1c2fa'/>"
    "<path d='M6 14h12v2H6zm0 4h12v2H6zm0 4h8v2H6z' fill='#fff'/></svg>"
)

# The same icon as the tab's favicon (a data: URL, so the page makes no other request).
FAVICON = "data:image/svg+xml," + quote(
    DOC_ICON.replace("<svg ", "<svg xmlns='http://www.w3.org/2000/svg' "), safe=""
)

_DOC_FONT = (
    "Arial,'Liberation Sans',Helvetica,sans-serif,"
    "'Noto Color Emoji','Apple Color Emoji','Segoe UI Emoji'"
)
_UI_FONT = "'Google Sans',Roboto,Arial,'Liberation Sans',sans-serif,'Noto Color Emoji'"

PAGE_CSS = f"""
*{{box-sizing:border-box}}
body{{margin:0;background:#f9fbfd;color:#1f1f1f;font-family:{_UI_FONT}}}
.bar{{position:sticky;top:0;z-index:5;display:flex;align-items:center;gap:14px;height:64px;
padding:0 20px;background:#f9fbfd;border-bottom:1px solid #e1e3e1}}
.home{{display:flex;align-items:center}}
.doc-title{{font-size:18px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}}
.hint{{margin-left:auto;font-size:12px;color:#5f6368;text-align:right}}
.status{{font-size:12px;color:#5f6368;min-width:5em}}
.app{{display:flex;align-items:flex-start}}
.side{{position:sticky;top:64px;flex:0 0 280px;max-height:calc(100vh - 64px);overflow:auto;
padding:12px 8px 24px 12px;font-size:14px}}
.side h2{{font-size:14px;font-weight:500;margin:10px 12px 12px}}
.side ul{{list-style:none;margin:0;padding:0}}
.tab>a{{display:flex;align-items:center;gap:10px;padding:8px 12px;
padding-left:calc(12px + var(--depth,0) * 18px);border-radius:18px;color:#1f1f1f;
text-decoration:none}}
.tab>a:hover{{background:#e9eef6}}
.tab.selected>a{{background:#d3e3fd;color:#041e49;font-weight:500}}
.tab-icon{{flex:none;width:12px;height:15px;border:1.5px solid currentColor;border-radius:2px}}
.outline{{margin:6px 0 10px}}
.outline a{{display:block;padding:5px 12px;color:#444746;text-decoration:none;font-size:13px;
line-height:1.3;border-radius:4px}}
.outline a:hover{{background:#e9eef6;color:#1f1f1f}}
.outline .lvl0 a,.outline .lvl1 a{{padding-left:20px;color:#1f1f1f}}
.outline .lvl2 a{{padding-left:36px}}
.outline .lvl3 a{{padding-left:52px}}
.outline .lvl4 a,.outline .lvl5 a,.outline .lvl6 a{{padding-left:68px}}
.canvas{{flex:1;min-width:0;display:flex;justify-content:center;padding:16px 16px 96px}}
.page{{flex:none;width:816px;min-height:1056px;padding:96px;background:#fff;
border:1px solid #dadce0;box-shadow:0 1px 3px 1px rgba(60,64,67,.15);color:#000;
font-family:{_DOC_FONT};font-size:11pt;line-height:1.32;white-space:pre-wrap;
overflow-wrap:break-word}}
.page p,.page h1,.page h2,.page h3,.page h4,.page h5,.page h6{{margin:0;font-weight:400}}
.page h1{{font-size:20pt;padding:20pt 0 6pt}}
.page h2{{font-size:16pt;padding:18pt 0 6pt}}
.page h3{{font-size:14pt;padding:16pt 0 4pt;color:#434343}}
.page h4{{font-size:12pt;padding:14pt 0 4pt;color:#666}}
.page h5{{font-size:11pt;padding:12pt 0 4pt;color:#666}}
.page h6{{font-size:11pt;padding:12pt 0 4pt;color:#666;font-style:italic}}
.page h1.title{{font-size:26pt;padding:0 0 3pt}}
.page .subtitle{{font-size:15pt;padding:0 0 16pt;color:#666}}
.page h1,.page h2,.page h3,.page h4,.page h5,.page h6{{scroll-margin-top:80px}}
.page ul,.page ol{{margin:0;padding:0 0 0 36pt}}
.page ul>li{{list-style:none}}
.page li{{position:relative}}
.page li.ul::before{{content:attr(data-glyph);position:absolute;left:-18pt;top:0}}
.page li.check::before{{content:'';position:absolute;left:-18pt;top:.24em;width:.72em;
height:.72em;border:1.5px solid #444746;border-radius:2px}}
.page .line{{position:relative}}
.page .text{{display:block;min-height:1.32em;outline:none;border-radius:2px}}
.page .text[contenteditable]:hover{{background:#f8f9fa}}
.page .text[contenteditable]:focus{{background:none;box-shadow:0 0 0 2px #d3e3fd}}
.tools{{position:absolute;left:calc(100% + 8px);top:-4px;display:flex;gap:1px;padding:1px 3px;
border-radius:16px;background:#fff;box-shadow:0 1px 3px 1px rgba(60,64,67,.2);
visibility:hidden;white-space:nowrap;font-family:{_UI_FONT}}}
.line:hover>.tools,.line:focus-within>.tools{{visibility:visible}}
.tools button{{width:26px;height:26px;padding:0;border:0;border-radius:50%;
background:transparent;color:#444746;font:13px {_UI_FONT};cursor:pointer}}
.tools button:hover{{background:#e9eef6}}
li[data-done]>.line [data-action=done],li[data-empty]>.line [data-action=done],
li[data-empty]>.line [data-action=strike],li:not([data-delete])>.line [data-action=delete]
{{display:none}}
.page a{{color:#1155cc;text-decoration:underline}}
.page .dead-link{{text-decoration:underline dotted #80868b}}
.page table{{width:100%;border-collapse:collapse;margin:0}}
.page td{{border:1px solid #000;padding:5pt;vertical-align:top}}
.page hr{{border:0;border-top:1px solid #a0a0a0;margin:6pt 0}}
.chip{{display:inline-block;padding:0 8px;border-radius:12px;background:#f1f3f4;
font-size:10pt;line-height:1.6;white-space:nowrap;text-decoration:none}}
.page a.chip{{color:#1155cc;text-decoration:none}}
.avatar{{display:inline-block;width:1.3em;height:1.3em;margin:0 4px 0 -5px;border-radius:50%;
background:#7b1fa2;color:#fff;font-size:.8em;line-height:1.3em;text-align:center;
vertical-align:1px}}
.placeholder{{display:inline-block;padding:0 6px;border:1px dashed #bbb;color:#777;
font-size:9pt}}
.toc a{{color:#1155cc}}
.notice{{position:fixed;left:50%;bottom:24px;z-index:10;transform:translateX(-50%);
display:flex;align-items:center;gap:18px;max-width:680px;padding:14px 18px;border-radius:6px;
background:#323232;color:#fff;font-size:14px;box-shadow:0 3px 5px rgba(0,0,0,.3)}}
.notice[hidden]{{display:none}}
.notice button{{border:0;background:none;color:#8ab4f8;font:500 14px {_UI_FONT};cursor:pointer}}
body.saving{{cursor:progress}}
body.saving .page{{pointer-events:none}}
.index{{max-width:816px;margin:24px auto;padding:24px 32px;background:#fff;
border:1px solid #dadce0;border-radius:8px}}
.index h2{{font-size:16px;font-weight:500}}
.files li{{margin:6px 0}}
.index a{{color:#1155cc}}
.meta{{color:#5f6368;font-size:12px}}
"""

PAGE_SCRIPT = r"""
(function () {
  "use strict";
  var FOCUS_KEY = "gworkflow-view-focus";
  var body = document.body;
  var page = document.querySelector(".page");
  var revision = document.getElementById("revision").value;
  var tabId = page.getAttribute("data-tab-id");
  var endpoint = "/v1/documents/" + encodeURIComponent(body.getAttribute("data-doc-id")) +
    ":batchUpdate";
  var original = new WeakMap();
  var busy = false;

  function range(start, end) {
    var r = {startIndex: start, endIndex: end};
    if (tabId !== null) r.tabId = tabId;
    return r;
  }
  function at(index) {
    var l = {index: index};
    if (tabId !== null) l.tabId = tabId;
    return l;
  }

  // The text as the API counts it. A line break (U+000B in the API) is a <br>, or a "\n" that
  // Chrome types for Shift+Enter in pre-wrap text: a paragraph's text never holds a newline.
  var BREAK = {};
  function collect(node, parts) {
    for (var c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) { if (c.data) parts.push(c.data.replace(/\n/g, "\u000b")); }
      else if (c.nodeName === "BR") parts.push(BREAK);
      else if (c.nodeType === 1) collect(c, parts);
    }
    return parts;
  }
  // A <br> at the very end only gives an empty last line its height: it is no text.
  function textOf(node, keepTrailingBreak) {
    var parts = collect(node, []);
    if (!keepTrailingBreak && parts[parts.length - 1] === BREAK) parts.pop();
    return parts.map(function (p) { return p === BREAK ? "\u000b" : p; }).join("");
  }

  function isHigh(code) { return code >= 0xd800 && code <= 0xdbff; }
  function isLow(code) { return code >= 0xdc00 && code <= 0xdfff; }

  // The smallest delete + insert turning `before` into `after`, so the rest keeps its style.
  function diff(before, after, start) {
    var max = Math.min(before.length, after.length);
    var p = 0;
    while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
    var s = 0;
    while (s < max - p &&
           before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
    if (p > 0 && isHigh(before.charCodeAt(p - 1))) p--;  // never split a surrogate pair
    if (s > 0 && isLow(before.charCodeAt(before.length - s))) s--;
    var requests = [];
    if (before.length - s > p) {
      requests.push({deleteContentRange: {range: range(start + p, start + before.length - s)}});
    }
    var inserted = after.slice(p, after.length - s);
    if (inserted) requests.push({insertText: {location: at(start + p), text: inserted}});
    return {requests: requests, delta: after.length - before.length};
  }

  function textEl(li) { return li.querySelector(":scope > .line > .text"); }
  function startOf(li) { return Number(li.getAttribute("data-start")); }
  function endOf(li) { return Number(li.getAttribute("data-end")); }
  function pending(li) { var el = textEl(li); return diff(original.get(el), textOf(el), startOf(li)); }

  function setStatus(text) { document.getElementById("status").textContent = text; }
  function notice(text) {
    document.getElementById("notice-text").textContent = text;
    document.getElementById("notice").hidden = false;
  }
  document.getElementById("notice-reload").addEventListener("click", function () {
    location.reload();
  });

  function send(requests, focusAfter) {
    if (busy || !requests.length) return;
    busy = true;
    body.classList.add("saving");
    setStatus("Saving…");
    var payload = {requests: requests, writeControl: {requiredRevisionId: revision}};
    fetch(endpoint, {method: "POST", headers: {"Content-Type": "application/json"},
                     body: JSON.stringify(payload)})
      .then(function (response) {
        return response.text().then(function (raw) {
          var data = null;
          try { data = JSON.parse(raw); } catch (e) { data = null; }
          if (response.ok) {
            if (focusAfter !== null) sessionStorage.setItem(FOCUS_KEY, String(focusAfter));
            setStatus("Saved");
            location.reload();
            return;
          }
          var message = (data && data.error && data.error.message) || ("HTTP " + response.status);
          if (response.status === 400 && /revision/i.test(message)) {
            setStatus("");
            notice("Someone else changed this document after this page was loaded, so your " +
                   "edit was not saved. Loading the latest version…");
            setTimeout(function () { location.reload(); }, 2500);
            return;
          }
          failed("Your edit was not saved: " + message);
        });
      }, function () {
        failed("Your edit was not saved: the sandbox did not answer. Is it still running?");
      });
  }
  function failed(message) {
    busy = false;
    body.classList.remove("saving");
    setStatus("");
    notice(message);
  }

  function caretOffset(el) {
    var selection = window.getSelection();
    if (!selection.rangeCount) return null;
    var r = selection.getRangeAt(0);
    if (!el.contains(r.endContainer)) return null;
    if (!r.collapsed) r.deleteContents();
    var before = document.createRange();
    before.selectNodeContents(el);
    before.setEnd(r.endContainer, r.endOffset);
    return textOf(before.cloneContents(), true).length;
  }

  // Shift+Enter: a line break in the item, as a <br> (Chrome would type "\n" characters).
  function lineBreak(el) {
    var selection = window.getSelection();
    if (!selection.rangeCount || !el.contains(selection.getRangeAt(0).endContainer)) return;
    var r = selection.getRangeAt(0);
    r.deleteContents();
    var br = document.createElement("br");
    r.insertNode(br);
    var rest = document.createRange();
    rest.selectNodeContents(el);
    rest.setStartAfter(br);
    if (textOf(rest.cloneContents(), true) === "") el.appendChild(document.createElement("br"));
    r.setStartAfter(br);
    r.collapse(true);
    selection.removeAllRanges();
    selection.addRange(r);
  }

  function onKey(event) {
    var el = event.currentTarget;
    var li = el.closest("li");
    if (event.key === "Escape") {
      el.innerHTML = el.getAttribute("data-html");
      el.blur();
      return;
    }
    if (event.key !== "Enter" || event.isComposing) return;
    event.preventDefault();
    if (event.shiftKey) { lineBreak(el); return; }
    var edit = pending(li);
    var after = textOf(el);
    if (!edit.requests.length && after === "") { el.blur(); return; }  // Enter on an empty item
    var offset = caretOffset(el);
    edit = pending(li);  // the selection Enter replaced is gone now
    if (offset === null || offset > textOf(el).length) offset = textOf(el).length;
    // Enter splits the paragraph at the caret; the new one keeps the bullet, as in Docs.
    var split = {insertText: {location: at(startOf(li) + offset), text: "\n"}};
    send(edit.requests.concat([split]), startOf(li) + offset + 1);
  }

  function onBlur(event) {
    if (busy) return;
    var li = event.currentTarget.closest("li");
    send(pending(li).requests, null);
  }

  function onPaste(event) {
    event.preventDefault();
    var text = (event.clipboardData || window.clipboardData).getData("text/plain");
    document.execCommand("insertText", false, text.replace(/\r?\n/g, " "));
  }

  function onTool(event) {
    var button = event.currentTarget;
    var li = button.closest("li");
    var active = document.activeElement;
    var activeLi = active && active.classList.contains("text") ? active.closest("li") : null;
    if (activeLi && activeLi !== li && pending(activeLi).requests.length) {
      send(pending(activeLi).requests, null);  // save the other item's typing first
      return;
    }
    var edit = activeLi === li ? pending(li) : {requests: [], delta: 0};
    var start = startOf(li);
    var action = button.getAttribute("data-action");
    if (action === "done") {
      send(edit.requests.concat([{insertText: {location: at(start), text: "\u2705 "}}]), null);
    } else if (action === "strike") {
      var struck = li.hasAttribute("data-struck");
      var end = endOf(li) - 1 + edit.delta;
      if (end <= start) return;
      send(edit.requests.concat([{updateTextStyle: {
        range: range(start, end), textStyle: {strikethrough: !struck}, fields: "strikethrough"}}]),
        null);
    } else if (action === "delete") {
      var bounds = li.getAttribute("data-delete").split(",").map(Number);
      send([{deleteContentRange: {range: range(bounds[0], bounds[1])}}], null);
    }
  }

  document.querySelectorAll("li[data-editable]").forEach(function (li) {
    var el = textEl(li);
    original.set(el, textOf(el));
    el.setAttribute("data-html", el.innerHTML);
    el.addEventListener("keydown", onKey);
    el.addEventListener("blur", onBlur);
    el.addEventListener("paste", onPaste);
    if (li.hasAttribute("data-struck")) {
      li.querySelector("[data-action=strike]").title = "Remove the strikethrough";
    }
    li.querySelectorAll(".tools button").forEach(function (button) {
      // Keep the caret where it is: a click on a tool must not first blur (and save) the item.
      button.addEventListener("mousedown", function (event) { event.preventDefault(); });
      button.addEventListener("click", onTool);
    });
  });

  // Links inside editable text open with Ctrl/Cmd+click, as in Docs.
  page.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (link && link.closest("[contenteditable=true]") && (event.ctrlKey || event.metaKey)) {
      window.open(link.href, "_blank", "noopener");
    }
  });

  var wanted = sessionStorage.getItem(FOCUS_KEY);
  if (wanted !== null) {
    sessionStorage.removeItem(FOCUS_KEY);
    var target = document.querySelector("li[data-editable][data-start='" + Number(wanted) + "']");
    if (target) {
      var el = textEl(target);
      el.focus();
      var caret = document.createRange();
      caret.selectNodeContents(el);
      caret.collapse(false);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(caret);
    }
  }
})();
"""
