/* The report's inline style sheet: one column, readable tables, figures at full width. */
#ifndef PVMLAB_REPORT_HTML_STYLE_H
#define PVMLAB_REPORT_HTML_STYLE_H

#define REPORT_HTML_STYLE                                                                          \
    "body{margin:0;background:#f6f7f9;color:#1d2430;font:15px/1.5 system-ui,-apple-system,"      \
    "'Segoe UI',Roboto,'DejaVu Sans',sans-serif}"                                                  \
    "main{max-width:1080px;margin:0 auto;padding:24px 32px 48px;background:#fff;"                 \
    "box-shadow:0 0 0 1px #e3e6eb}"                                                                \
    "h1{font-size:28px;margin:8px 0 4px}"                                                          \
    "h2{font-size:21px;margin:36px 0 8px;padding-bottom:4px;border-bottom:2px solid #e3e6eb}"     \
    "h3{font-size:17px;margin:24px 0 6px}"                                                         \
    "nav.toc{margin:12px 0 8px;padding:10px 14px;background:#f0f3f7;border-radius:6px}"           \
    "nav.toc a{margin-right:16px;color:#1f5fbf;text-decoration:none;white-space:nowrap}"          \
    "p{overflow-wrap:anywhere}"                                                                   \
    "p.note{padding:8px 12px;background:#fff7e0;border-left:4px solid #e0a800;border-radius:3px}" \
    "table{border-collapse:collapse;margin:8px 0 16px;font-size:13.5px;"                           \
    "font-variant-numeric:tabular-nums}"                                                           \
    "th,td{padding:4px 10px;border-bottom:1px solid #e3e6eb;vertical-align:top}"                  \
    "th{background:#f0f3f7;text-align:left;font-weight:600}"                                       \
    "td.r,th.r{text-align:right}td.r{white-space:nowrap}"                                                                  \
    "tr:hover td{background:#fafbfc}"                                                              \
    "div.scroll{overflow-x:auto}"                                                                  \
    "pre{background:#1d2430;color:#e8ecf2;padding:12px 14px;border-radius:6px;overflow-x:auto;"   \
    "font:13px/1.45 ui-monospace,'DejaVu Sans Mono',monospace}"                                    \
    "figure{margin:12px 0 20px}"                                                                   \
    "figure svg{display:block;width:100%;height:auto;border:1px solid #e3e6eb;border-radius:4px}" \
    "figcaption{color:#55606e;font-size:13px;margin-top:4px}"                                      \
    "footer{margin-top:40px;color:#7a8594;font-size:12px}"

#endif
