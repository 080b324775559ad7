#!/usr/bin/python3
"""Makes the committed fixtures of tests/formats/ (run by make-fixtures.sh).

From each plain-text document of tests/docs/ and corpus/002: a government
site's HTML page (navigation, breadcrumbs, a visit counter, a sidebar and
a footer around the text), a .docx (python's zipfile), and a PDF laid out
at A4 width by Pango (lines broken by the page width, a running header,
`- N -` or `第N页` page numbers). Then the broken inputs. Needs python3-gi,
gir1.2-pango-1.0, python3-gi-cairo, fonts-wqy-microhei and qpdf
(scripts/install-deps.sh formats-fixtures).
"""
import html, io, os, re, struct, subprocess, sys, zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(HERE, "fixtures")
SOURCES = sorted(os.path.join(ROOT, "tests/docs", f) for f in os.listdir(os.path.join(ROOT, "tests/docs"))
                 if f.endswith(".txt")) + [os.path.join(ROOT, "corpus/002_731d9b2d5a921bef.txt")]
HEAD_RE = re.compile(r"^\s*([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")

NAV = """<div class="top"><a href="/">首页</a> | <a href="/en">English</a> 今天是2024年5月6日 星期一</div>
<div id="nav"><ul><li><a href="/1">政务公开</a></li><li><a href="/2">政策文件</a></li>
<li><a href="/3">教育动态</a></li><li><a href="/4">办事服务</a></li><li><a href="/5">互动交流</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/3">教育动态</a> &gt; 正文</div>"""
SIDE = """<div class="sidebar"><h3>热点新闻</h3><ul><li><a href="/n1">全市新建学校12所</a></li>
<li><a href="/n2">3000名教师参加培训</a></li><li>第5届科技节开幕，参赛学生800人</li></ul></div>"""
FOOT = """<div id="footer"><p>版权所有：某县人民政府 主办单位：某县教育局</p>
<p>网站标识码4290000001 鄂ICP备12345678号 您是本站第123456位访客 访问量：987654次</p>
<p>联系电话：0718-1234567 地址：某县城关镇建设路88号</p></div>
<script>var visits = 12345; document.write("浏览次数：" + visits + "次");</script>
<style>.a{width:100px}</style>"""


def paragraphs(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip().replace("\u3000", "") for l in f if l.strip()]


def page_html(lines, charset, declare=True):
    title = lines[0]
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=%s">' % charset if declare else ""
    body = "\n".join("<p>%s</p>" % html.escape(l) if not HEAD_RE.match(l) else
                     "<p><strong>%s</strong></p>" % html.escape(l) for l in lines[1:])
    return """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head>%s<title>%s_某县人民政府</title></head><body>
%s
<div class="main"><div class="left-box">%s</div>
<div class="content"><div class="article-title"><h1>%s</h1></div>
<div class="info">发布时间：2024-05-06 来源：某县教育局 浏览次数：<span id="hits">1234</span></div>
<div id="zoom">
%s
</div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>
<div class="pager">上一篇：<a href="/p1">关于做好2024年秋季学期开学工作的通知</a><br>下一篇：<a href="/p2">全县第3次教研会召开</a></div>
</div></div>
%s
</body></html>
""" % (meta, html.escape(title), NAV, SIDE, html.escape(title), body, FOOT)


def write(name, data):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def entry(name):
    """A zip entry with a fixed date: the same fixtures every time."""
    zi = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_DEFLATED
    return zi


NUMBERING = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:numbering %s>'
             '<w:abstractNum w:abstractNumId="0">'
             '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%%1、"/></w:lvl>'
             '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%%2）"/></w:lvl>'
             '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')


def docx_numbered(lines):
    """Headings numbered by Word: 一、 and （一） are not in the text but
    generated from word/numbering.xml."""
    ps = []
    for i, l in enumerate(lines):
        m = HEAD_RE.match(l)
        ppr = ""
        if i and m:
            ppr = '<w:pPr><w:pStyle w:val="Heading%d"/><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="1"/></w:numPr></w:pPr>' % (
                1 if l.lstrip()[0] != "（" else 2, 0 if l.lstrip()[0] != "（" else 1)
            l = l[m.end():]
        ps.append('<w:p>%s<w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % (ppr, html.escape(l, quote=False)))
    return docx_bytes([], body_override="".join(ps), numbering=NUMBERING % W)


def docx_bytes(lines, extra_xml="", body_override=None, numbering=None):
    def para(l, style=None):
        ppr = '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % style if style else ""
        return '<w:p>%s<w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % (ppr, html.escape(l, quote=False))
    if body_override is None:
        ps = [para(lines[0], "Title")]
        for l in lines[1:]:
            ps.append(para(l, "Heading1" if HEAD_RE.match(l) else None))
        body = "".join(ps) + extra_xml
    else:
        body = body_override
    doc = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document %s><w:body>%s<w:sectPr/></w:body></w:document>' % (W, body)
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(entry("[Content_Types].xml"), '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr(entry("_rels/.rels"), '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr(entry("word/document.xml"), doc)
        if numbering:
            z.writestr(entry("word/numbering.xml"), numbering)
    return b.getvalue()


def table_xml(rows):
    def cell(t):
        return '<w:tc><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>' % html.escape(t)
    return "<w:tbl>" + "".join("<w:tr>%s</w:tr>" % "".join(cell(c) for c in r) for r in rows) + "</w:tbl>"


def pdf_file(path, lines, header=True, text=True, footer="- %d -"):
    import gi
    gi.require_version("Pango", "1.0")
    gi.require_version("PangoCairo", "1.0")
    import cairo
    from gi.repository import Pango, PangoCairo
    W_, H_, M = 595, 842, 72
    surf = cairo.PDFSurface(path, W_, H_)
    surf.set_metadata(cairo.PDFMetadata.CREATE_DATE, "2024-01-01T00:00:00")
    cr = cairo.Context(surf)
    page = [1]

    def layout(t, size, width=None, indent=0):
        lay = PangoCairo.create_layout(cr)
        lay.set_font_description(Pango.FontDescription("WenQuanYi Micro Hei %d" % size))
        if width:
            lay.set_width(width * Pango.SCALE)
            lay.set_wrap(Pango.WrapMode.CHAR)
        lay.set_indent(indent * Pango.SCALE)
        lay.set_text(t, -1)
        return lay

    def furniture():
        if header:
            lay = layout(lines[0], 9)
            cr.move_to(M, 36)
            PangoCairo.show_layout(cr, lay)
        lay = layout(footer % page[0], 10)
        cr.move_to(W_ / 2 - 12, H_ - 48)
        PangoCairo.show_layout(cr, lay)

    if not text:
        for p in range(2):
            cr.set_source_rgb(0.2, 0.2, 0.2)
            for k in range(30):
                cr.rectangle(M, M + k * 20, 300 + (k * 37) % 150, 10)
            cr.fill()
            cr.show_page()
        surf.finish()
        return
    y = M
    furniture()
    for i, l in enumerate(lines):
        size = 16 if i == 0 else 11
        lay = layout(l, size, W_ - 2 * M, 0 if i == 0 or HEAD_RE.match(l) else 22)
        it = lay.get_iter()
        while True:
            line = it.get_line_readonly()
            ink, logical = line.get_extents()
            h = logical.height / Pango.SCALE
            if y + h > H_ - M:
                cr.show_page()
                page[0] += 1
                y = M
                furniture()
            base = it.get_baseline() / Pango.SCALE
            top = it.get_line_extents()[1].y / Pango.SCALE
            cr.move_to(M + it.get_line_extents()[1].x / Pango.SCALE, y + base - top)
            PangoCairo.show_layout_line(cr, line)
            y += h + 3
            if not it.next_line():
                break
        y += 6
    cr.show_page()
    surf.finish()


def main():
    os.makedirs(OUT, exist_ok=True)
    for i, src in enumerate(SOURCES):
        base = os.path.splitext(os.path.basename(src))[0]
        lines = paragraphs(src)
        # half the pages in GB2312 as the sites serve them, half in UTF-8
        cs = "gb2312" if i % 2 == 0 else "utf-8"
        write(base + ".html", page_html(lines, cs).encode("gb18030" if cs == "gb2312" else "utf-8"))
        write(base + ".docx", docx_bytes(lines))
        # page numbers as "- 2 -" and as "第2页"
        pdf_file(os.path.join(OUT, base + ".pdf"), lines, footer="- %d -" if i % 2 == 0 else "第%d页")
    # Word's own heading numbers
    write("numbered/t04_meichuan_review_2020.docx", docx_numbered(paragraphs(os.path.join(ROOT, "tests/docs/t04_meichuan_review_2020.txt"))))
    # a GB2312 page that declares no charset
    lines = paragraphs(SOURCES[2])
    write("broken/gb2312-nocharset.htm", page_html(lines, "gb2312", declare=False).encode("gb18030"))
    # a page of navigation and footer only
    write("broken/nav-only.html", ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>某县教育局</title></head><body>%s%s%s</body></html>"
                                   % (NAV, SIDE, FOOT)).encode("utf-8"))
    # tables: one row a line, cells separated by tabs
    rows = [["学段", "学校数", "在校学生"], ["小学", "52所", "45120人"], ["初中", "21所", "34180人"]]
    write("table.html", ("<html><head><meta charset=\"utf-8\"></head><body><div id=\"zoom\"><p>2022年全区各学段学校及在校学生情况如下表。</p><table>%s</table></div></body></html>"
                         % "".join("<tr>%s</tr>" % "".join("<td><p>%s</p></td>" % c for c in r) for r in rows)).encode("utf-8"))
    write("table.docx", docx_bytes(["2022年全区学校情况", "2022年全区各学段学校及在校学生情况如下表。"], table_xml(rows)))
    # broken archives
    good = docx_bytes(paragraphs(SOURCES[0]))
    write("broken/corrupt.docx", good[:len(good) // 2] + b"\x00garbage" * 8)
    flipped = bytearray(good)
    for k in range(200, 260):
        flipped[k] ^= 0x5A
    write("broken/crc.docx", bytes(flipped))
    big = "".join('<w:p><w:r><w:t>%d</w:t></w:r></w:p>' % (k % 10) for k in range(300000))
    bomb = docx_bytes([], body_override=big)
    write("broken/bomb.docx", bomb)
    # the same, declaring 1000 bytes unpacked: only counting catches it
    liar = bytearray(bomb)
    at = 0
    while True:
        at = liar.find(b"word/document.xml", at + 1)
        if at < 0:
            break
        if liar[at - 30:at - 26] == b"PK\x03\x04":
            struct.pack_into("<I", liar, at - 30 + 22, 1000)
        if liar[at - 46:at - 42] == b"PK\x01\x02":
            struct.pack_into("<I", liar, at - 46 + 24, 1000)
    write("broken/bomb-lying.docx", bytes(liar))
    write("broken/old.doc", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\x00" * 504)
    write("broken/old.wps", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\x00" * 504)
    write("broken/notword.docx", zip_plain())
    # broken PDFs
    src_pdf = os.path.join(OUT, os.path.splitext(os.path.basename(SOURCES[0]))[0] + ".pdf")
    data = open(src_pdf, "rb").read()
    write("broken/truncated.pdf", data[:len(data) * 6 // 10])
    subprocess.run(["qpdf", "--encrypt", "user-pw", "owner-pw", "256", "--", src_pdf,
                    os.path.join(OUT, "broken/encrypted.pdf")], check=True)
    pdf_file(os.path.join(OUT, "broken/image-only.pdf"), [], text=False)
    qdf = os.path.join(OUT, "broken/js.qdf")
    subprocess.run(["qpdf", "--qdf", "--deterministic-id", "--object-streams=disable", src_pdf, qdf], check=True)
    q = open(qdf, "rb").read()
    js = b"/OpenAction << /S /JavaScript /JS (app.alert\\('run'\\); this.submitForm\\('http://127.0.0.1:9/'\\);) >>"
    q = q.replace(b"/Type /Catalog", b"/Type /Catalog " + js, 1)
    open(qdf, "wb").write(q)
    with open(os.path.join(OUT, "broken/js.pdf"), "wb") as f:
        subprocess.run(["fix-qdf", qdf], stdout=f, check=True)
    os.remove(qdf)


def zip_plain():
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w") as z:
        z.writestr(entry("readme.txt"), "2019年全县共有学校12所。")
    return b.getvalue()


if __name__ == "__main__":
    os.makedirs(os.path.join(OUT, "broken"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "numbered"), exist_ok=True)
    main()
