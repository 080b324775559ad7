/* The readers (issue 15): kind detection, HTML main text, .docx and PDF
 * text, and the documents zm_extract makes from them.
 *   - detection by content, the extension only a hint;
 *   - HTML: navigation/footer/sidebar/script dropped, the title kept,
 *     table rows as tab-separated lines, charsets (meta, none, a UTF-8
 *     copy still declaring gb2312), white space next to Chinese;
 *   - .docx: paragraphs and table rows, a zip bomb and a corrupt archive;
 *   - PDF: page starts, page numbers and running headers dropped, a
 *     figure cut by the line end joined again;
 *   - every metric's text is exactly its span of zm_doc_text, PDF metrics
 *     carry a page that grows with the span.
 */
#define _GNU_SOURCE
#include "zm_test.h"

#include "input.h"
#include "zhmetrics.h"

#define FIX ZM_SOURCE_DIR "/tests/formats/fixtures/"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = 0;
    *len = (size_t)n;
    return b;
}

#define S(lit) lit, sizeof lit - 1 /* a literal and its length (NULs inside count) */

static void detect(void **state)
{
    (void)state;
    static const struct {
        const char *bytes;
        size_t len;
        zm_input_kind kind;
    } c[] = {
        {S("%PDF-1.7\n..."), ZM_IN_PDF},
        {S("\n\n%PDF-1.4"), ZM_IN_PDF},
        {S("PK\3\4....word/document.xml...."), ZM_IN_DOCX},
        {S("PK\3\4....readme.txt"), ZM_IN_ZIP},
        {S("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"), ZM_IN_OLE2},
        {S("<!DOCTYPE html><html>"), ZM_IN_HTML},
        {S("\xEF\xBB\xBF  <!-- saved --> <HTML lang=zh>"), ZM_IN_HTML},
        {S("<meta charset=gb2312><p>"), ZM_IN_HTML},
        {S("<?xml version=\"1.0\"?><html>"), ZM_IN_HTML},
        {S("\xFF\xFE<\0h\0t\0m\0l\0>\0"), ZM_IN_HTML},
        {S("2019年全县学校<12所>"), ZM_IN_TEXT},
        {S("<htmlish text"), ZM_IN_TEXT},
        {S("PDF-1.4 is a version"), ZM_IN_TEXT},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        zm_input_kind k = zm_input_detect(c[i].bytes, c[i].len, "x.txt");
        if (k != c[i].kind)
            fail_msg("case %zu: kind %s, expected %s", i, zm_input_names[k], zm_input_names[c[i].kind]);
    }
}

static char *html_text(const char *page, const char **enc)
{
    zm_input in;
    char msg[256];
    int rc = zm_input_html(page, strlen(page), 1 << 20, &in, msg, sizeof msg);
    if (rc)
        fail_msg("html: %s", msg);
    if (enc)
        *enc = in.encoding;
    char *t = in.text;
    in.text = NULL;
    zm_input_free(&in);
    return t;
}

static void html_main_text(void **state)
{
    (void)state;
    const char *page =
        "<html><head><title>某县2020年教育工作总结_某县人民政府</title><script>var n=12345;</script></head><body>"
        "<div id=\"nav\"><a href=/>首页</a><a href=/1>新闻中心</a><a href=/2>政务公开栏目</a></div>"
        "<header>某县人民政府门户网站 访问量888888次</header>"
        "<div class=\"sidebar\"><a href=/n>全市新建学校99所</a></div>"
        "<div class=\"content-top\"><div id=\"zoom\">"
        "<p>2020年，全县共有学校  52所，\n  在校学生3.2万人。</p><p>新建校舍12栋，投入资金8000万元。</p>"
        "<table><tr><td>小学</td><td>45所</td></tr><tr><th>初中</th><td>7所</td></tr></table>"
        "<p>第一行<br>第二行</p><pre>a  b</pre>"
        "</div></div><div class=\"footer\">版权所有 联系电话12345678 您是第777位访客</div>"
        "<script>document.write('浏览66次')</script></body></html>";
    char *t = html_text(page, NULL);
    assert_string_equal(t, "某县2020年教育工作总结\n"
                           "2020年，全县共有学校52所，在校学生3.2万人。\n"
                           "新建校舍12栋，投入资金8000万元。\n"
                           "小学\t45所\n初中\t7所\n第一行\n第二行\na  b\n");
    free(t);
    /* navigation and footer only: no text at all */
    t = html_text("<html><body><div class=nav><a href=/>首页</a><a href=/x>教育动态新闻</a></div>"
                  "<div id=footer>版权所有 访问量：987654次 鄂ICP备12345678号</div></body></html>",
                  NULL);
    assert_string_equal(t, "");
    free(t);
}

static void html_charsets(void **state)
{
    (void)state;
    const char *enc;
    /* 学校12所 in GB2312, declared, then undeclared */
    char *t = html_text("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head>"
                        "<body><p>\xc8\xab\xcf\xd8\xd1\xa7\xd0\xa3\xb9\xb2\x31\x32\xcb\xf9\xa3\xac\xbd\xcc\xca\xa6\x33\x30\x30\xc8\xcb</p></body></html>",
                        &enc);
    assert_string_equal(t, "全县学校共12所，教师300人\n");
    assert_string_equal(enc, "gb18030");
    free(t);
    t = html_text("<html><body><p>\xc8\xab\xcf\xd8\xd1\xa7\xd0\xa3\xb9\xb2\x31\x32\xcb\xf9\xa3\xac\xbd\xcc\xca\xa6\x33\x30\x30\xc8\xcb</p></body></html>", &enc);
    assert_string_equal(t, "全县学校共12所，教师300人\n");
    assert_string_equal(enc, "gb18030");
    free(t);
    /* a page saved as UTF-8 that still says gb2312 */
    t = html_text("<html><head><meta charset=gb2312></head><body><p>全县学校共12所，教师300人</p></body></html>", &enc);
    assert_string_equal(t, "全县学校共12所，教师300人\n");
    assert_string_equal(enc, "utf-8");
    free(t);
}

static void html_too_deep(void **state)
{
    (void)state;
    size_t n = 100000;
    char *p = malloc(n * 11 + 64), *w = p;
    w += sprintf(w, "<html><body>");
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, "<div>");
    w += sprintf(w, "全县学校共12所");
    for (size_t i = 0; i < n; i++)
        w += sprintf(w, "</div>");
    zm_input in;
    char msg[256];
    assert_int_equal(zm_input_html(p, (size_t)(w - p), 1 << 24, &in, msg, sizeof msg), ZM_E_LIMIT);
    assert_non_null(strstr(msg, "nested deeper"));
    free(p);
}

static char *docx_text(const char *file, size_t max, int *rc, char *msg, size_t msgsz)
{
    size_t len;
    char *b = slurp(file, &len);
    zm_input in;
    *rc = zm_input_docx(b, len, max, &in, msg, msgsz);
    free(b);
    char *t = *rc ? NULL : in.text;
    in.text = NULL;
    zm_input_free(&in);
    return t;
}

static void docx_reader(void **state)
{
    (void)state;
    int rc;
    char msg[256];
    char *t = docx_text(FIX "table.docx", 1 << 20, &rc, msg, sizeof msg);
    assert_int_equal(rc, 0);
    assert_string_equal(t, "2022年全区学校情况\n2022年全区各学段学校及在校学生情况如下表。\n"
                           "学段\t学校数\t在校学生\n小学\t52所\t45120人\n初中\t21所\t34180人\n");
    free(t);
    assert_null(docx_text(FIX "broken/bomb.docx", 1 << 20, &rc, msg, sizeof msg));
    assert_int_equal(rc, ZM_E_LIMIT);
    assert_non_null(strstr(msg, "zip bomb"));
    assert_null(docx_text(FIX "broken/corrupt.docx", 1 << 20, &rc, msg, sizeof msg));
    assert_int_equal(rc, ZM_E_INPUT);
    assert_non_null(strstr(msg, "corrupt .docx"));
}

static void pdf_reader(void **state)
{
    (void)state;
    size_t len;
    char *b = slurp(FIX "t01_tongxi_summary_2018.pdf", &len);
    zm_input in;
    char msg[256];
    assert_int_equal(zm_input_pdf(b, len, 1 << 20, &in, msg, sizeof msg), 0);
    free(b);
    assert_true(in.npages >= 2);
    assert_int_equal(in.pages[0], 0);
    for (size_t i = 1; i < in.npages; i++)
        assert_true(in.pages[i] >= in.pages[i - 1] && in.pages[i] <= in.len);
    /* the figure cut at the end of a line is whole again */
    assert_non_null(strstr(in.text, "发放资助资金1120.4万元。"));
    /* page numbers and the running header (the title) are gone */
    assert_null(strstr(in.text, "- 2 -"));
    assert_null(strstr(in.text, "-2-"));
    const char *title = "桐溪县教育局2018年工作总结";
    char *first = strstr(in.text, title);
    assert_ptr_equal(first, in.text);
    assert_null(strstr(first + strlen(title), title));
    /* a paragraph broken by the page width is one line */
    assert_non_null(strstr(in.text, "较上年提高0.4个百分点，初中年辍学率降至千分之三以下。"));
    zm_input_free(&in);
    /* page numbers written 第N页 */
    b = slurp(FIX "t02_yunling_halfyear_2021.pdf", &len);
    assert_int_equal(zm_input_pdf(b, len, 1 << 20, &in, msg, sizeof msg), 0);
    free(b);
    assert_true(in.npages >= 2);
    assert_null(strstr(in.text, "第1页"));
    assert_null(strstr(in.text, "第2页"));
    zm_input_free(&in);

    static const struct {
        const char *file, *msg;
    } bad[] = {{"broken/encrypted.pdf", "encrypted"},
               {"broken/image-only.pdf", "OCR is needed"},
               {"broken/truncated.pdf", "PDF"}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char path[512];
        snprintf(path, sizeof path, FIX "%s", bad[i].file);
        b = slurp(path, &len);
        int rc = zm_input_pdf(b, len, 1 << 20, &in, msg, sizeof msg);
        free(b);
        if (rc == 0) { /* a truncated file poppler repairs is a document */
            assert_string_equal(bad[i].file, "broken/truncated.pdf");
            zm_input_free(&in);
            continue;
        }
        if (!strstr(msg, bad[i].msg))
            fail_msg("%s: %s", bad[i].file, msg);
    }
}

/* Every fixture through zm_extract: spans into the extracted text. */
static void documents(void **state)
{
    (void)state;
    zm_model_options mo = {NULL, ""};
    zm_error err = {0};
    zm_model *m = zm_model_load(ZM_DICT_DIR, &mo, &err);
    assert_non_null(m);
    zm_ctx *c = zm_ctx_new(m);
    static const char *const files[] = {"t03_beitang_bulletin_2022.html", "t03_beitang_bulletin_2022.docx",
                                        "002_731d9b2d5a921bef.pdf", "table.html", "broken/js.pdf"};
    static const char *const formats[] = {"html", "docx", "pdf", "html", "pdf"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char path[512];
        size_t len, tl;
        snprintf(path, sizeof path, FIX "%s", files[f]);
        char *b = slurp(path, &len);
        zm_doc *d = NULL;
        assert_int_equal(zm_extract(c, files[f], b, len, NULL, &d, &err), 0);
        free(b);
        assert_string_equal(zm_doc_format(d), formats[f]);
        const char *t = zm_doc_text(d, &tl);
        assert_non_null(t);
        assert_int_equal(tl, zm_doc_bytes(d));
        assert_true(zm_doc_metric_count(d) > 0);
        int last_page = 1;
        for (size_t i = 0; i < zm_doc_metric_count(d); i++) {
            const zm_metric *mt = zm_doc_metric(d, i);
            assert_true(mt->span[1] <= tl);
            if (strncmp(t + mt->span[0], mt->text, mt->span[1] - mt->span[0]) != 0)
                fail_msg("%s #%zu: span text differs from %s", files[f], i + 1, mt->text);
            if (strcmp(formats[f], "pdf") == 0) {
                assert_true(mt->page >= last_page);
                last_page = mt->page;
            } else {
                assert_int_equal(mt->page, 0);
            }
        }
        if (f == 2)
            assert_true(last_page >= 2); /* the figures run over several pages */
        zm_doc_free(d);
    }
    /* plain text: format text, no extracted copy */
    zm_doc *d = NULL;
    assert_int_equal(zm_extract(c, "a.txt", "全县学校共12所。\n", 24, NULL, &d, &err), 0);
    assert_string_equal(zm_doc_format(d), "text");
    assert_null(zm_doc_text(d, NULL));
    zm_doc_free(d);
    zm_ctx_free(c);
    zm_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(detect),        cmocka_unit_test(html_main_text), cmocka_unit_test(html_charsets),
        cmocka_unit_test(html_too_deep), cmocka_unit_test(docx_reader),    cmocka_unit_test(pdf_reader),
        cmocka_unit_test(documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
