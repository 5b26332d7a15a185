#!/usr/bin/python3
"""lxml_alltext.py - the "all text" baseline: parse each page with lxml's
HTML parser (libxml2) and take the text of <body> without <script> and
<style>. Usage: lxml_alltext.py HTML_DIR OUT.json [ROUNDS]
Pages are read into memory first; extraction is timed in process CPU time
and "pages N rounds R cpu_s S pages_per_s P" is printed."""
import sys
import time

import lxml.etree
import lxml.html

from common import load_pages, write_output


def extract(html):
    doc = lxml.html.document_fromstring(html)
    lxml.etree.strip_elements(doc, 'script', 'style', 'noscript', with_tail=False)
    body = doc.find('body')
    return (body if body is not None else doc).text_content()


def main():
    pages = load_pages(sys.argv[1])
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    out = {}
    t0 = time.process_time()
    for _ in range(rounds):
        for pid, html in pages:
            out[pid] = {'articleBody': extract(html)}
    cpu = time.process_time() - t0
    write_output(sys.argv[2], out)
    print(f'pages {len(pages)} rounds {rounds} cpu_s {cpu:.3f} pages_per_s {len(pages) * rounds / cpu:.1f}')


if __name__ == '__main__':
    main()
