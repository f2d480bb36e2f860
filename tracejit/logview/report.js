// Builds the tracejit report from the JSON in #tracejit-data (text nodes only).
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("tracejit-data").textContent);

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.appendChild(child);
    return node;
  }

  // green (all compiled) .. orange (all interpreted), mixed linearly
  function shade(share) {
    const mix = (a, b) => Math.round(a + (b - a) * share);
    return "rgb(" + mix(252, 150) + "," + mix(196, 220) + "," + mix(150, 150) + ")";
  }

  function sourcePane() {
    const pane = document.getElementById("source");
    for (const file of data.files) {
      const section = el("div", {"class": "file"}, [el("h2", {text: file.file})]);
      for (const line of file.lines) {
        const total = line.interp + line.compiled;
        const marks = [];
        if (line.aborts.length) marks.push("!");
        if (line.exits) marks.push("\u2190" + line.exits);
        const row = el("div", {"class": "line", "data-file": file.file, "data-line": String(line.n)}, [
          el("span", {"class": "n", text: String(line.n)}),
          el("span", {"class": "counts", text: total ? line.interp + " int / " + line.compiled + " jit" : ""}),
          el("span", {"class": "marks", text: marks.join(" ")}),
          el("span", {"class": "text", text: line.text}),
        ]);
        if (total) {
          const share = line.compiled / total;
          row.dataset.share = share.toFixed(3);
          row.style.background = shade(share);
        }
        const notes = line.aborts.map(a => "abort " + a.reason + ": " + a.message + (a.detail ? ": " + a.detail : ""));
        if (line.exits) notes.push(line.exits + " exits taken here");
        if (notes.length) row.title = notes.join("\n");
        section.appendChild(row);
      }
      pane.appendChild(section);
    }
  }

  const base = path => path.split("/").pop();

  function table(headers, rows) {
    return el("table", {}, [el("tr", {}, headers.map(h => el("th", {text: h})))].concat(
      rows.map(r => el("tr", {}, r.map(c => el("td", {text: String(c)}))))));
  }

  function summary() {
    const pane = document.getElementById("pane");
    pane.replaceChildren(
      el("h2", {text: "summary"}),
      table(["total", "value"], data.totals),
      el("h2", {text: "aborts"}),
      table(["loop", "times", "reason", "message", "detail", "at"],
            data.aborts.map(a => [base(a.where), a.count, a.reason, a.message, a.detail, base(a.at)])),
      el("h2", {text: "blacklisted loops"}),
      table(["loop", "function", "aborts", "why"], data.blacklisted.map(b => [base(b.where), b.func, b.aborts, b.why])));
  }

  function outline(trace) {
    const lines = new Set();
    if (trace) for (const path of trace.paths) for (const ins of path.bytecode) lines.add(ins.file + ":" + ins.line);
    for (const row of document.querySelectorAll(".line")) {
      row.classList.toggle("in-trace", lines.has(row.dataset.file + ":" + row.dataset.line));
    }
  }

  function bytecodeText(path) {
    let last = null;
    const out = [];
    for (const ins of path.bytecode) {
      const dots = ". ".repeat(ins.depth);
      if (ins.file + ":" + ins.line !== last) {
        last = ins.file + ":" + ins.line;
        out.push(dots + "      ; line " + ins.line + ": " + ins.src);
      }
      out.push(dots + ins.ins);
    }
    return out.join("\n");
  }

  function showTrace(trace) {
    for (const item of document.querySelectorAll(".trace-item")) {
      item.classList.toggle("selected", item.dataset.trace === String(trace.number));
    }
    const pane = document.getElementById("pane");
    const body = el("pre", {id: "trace-body"});
    const tabs = el("div", {"class": "tabs"});
    const views = trace.passes.map(p => ["IR after " + p.name, p.ir,
                                         p.ops + " ops, " + p.guards + " guards, " + p.ms.toFixed(2) + " ms"]);
    views.push(["generated source", trace.source, trace.compile_ms + " ms to compile"]);
    views.push(["bytecode", trace.paths.map(p => "---- " + p.title + "\n" + bytecodeText(p)).join("\n"), ""]);
    views.push(["exits", trace.exits.map(x => "exit #" + x.exit + " " + x.op + " at line " + x.line +
                                         " in " + x.func + "(): taken " + x.count).join("\n") || "(none taken)", ""]);
    const note = el("p", {id: "trace-note"});
    views.forEach(([name, text, info], i) => {
      const button = el("button", {text: name, "data-view": name});
      button.addEventListener("click", () => {
        for (const b of tabs.children) b.classList.toggle("active", b === button);
        body.textContent = text;
        note.textContent = info;
      });
      tabs.appendChild(button);
      if (i === trace.passes.length - 1) button.click();   // the IR that was compiled
    });
    pane.replaceChildren(
      el("h2", {id: "trace-title", text: "TRACE " + trace.number + " " + trace.where + " in " + trace.func + "()"}),
      el("p", {text: trace.entries + " entries, " + trace.iterations + " iterations, " + trace.exits_taken +
                     " exits taken, " + trace.sides + " side traces" + (trace.retired ? ", retired" : "")}),
      tabs, note, body);
    outline(trace);
  }

  function traceList() {
    const list = document.getElementById("trace-list");
    const all = el("li", {"class": "trace-item selected", "data-trace": "summary", text: "summary"});
    all.addEventListener("click", () => {
      for (const item of list.children) item.classList.toggle("selected", item === all);
      summary();
      outline(null);
    });
    list.appendChild(all);
    for (const trace of data.traces) {
      const item = el("li", {"class": "trace-item" + (trace.retired ? " retired" : ""), "data-trace": String(trace.number),
                             text: "TRACE " + trace.number + "  " + base(trace.where) + "  " + trace.func +
                                   "()  " + trace.ops + " ops, " + trace.exits_taken + " exits"});
      item.addEventListener("click", () => showTrace(trace));
      list.appendChild(item);
    }
  }

  document.getElementById("title").textContent = data.title;
  sourcePane();
  traceList();
  summary();
})();
