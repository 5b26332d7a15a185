"""common.py - page loading and output writing shared by the Python peers."""
import gzip
import json
import os


def load_pages(html_dir):
    """[(id, html str)] for every *.html.gz, sorted by id; decoded as UTF-8
    as the benchmark's own runners do."""
    pages = []
    for name in sorted(os.listdir(html_dir)):
        if name.endswith('.html.gz'):
            with gzip.open(os.path.join(html_dir, name), 'rt', encoding='utf8') as f:
                pages.append((name[:-len('.html.gz')], f.read()))
    return pages


def write_output(path, out):
    with open(path, 'w', encoding='utf8') as f:
        json.dump(out, f, ensure_ascii=False)
