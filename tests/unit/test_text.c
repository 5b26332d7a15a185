/* test_text.c - the text module: clean-up and folding, tokens, sentences,
 * stop words, stems and language identification. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/utf8util.h"
#include "test.h"
#include "text/langid.h"
#include "text/ngram_lm.h"
#include "text/sentence.h"
#include "text/stem.h"
#include "text/stopwords.h"
#include "text/tokenize.h"
#include "text/unicode.h"
#include "text/wordhash.h"

static Arena arena;
static char joined[8192];

/* The sentences of s, joined by " | ". */
static const char *split(const char *s, const char *lang)
{
    SentenceSpan *sp;
    size_t n = sentence_split(&arena, s, strlen(s), lang, &sp);
    Buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_puts(&b, " | ");
        buf_append(&b, s + sp[i].start, sp[i].len);
    }
    snprintf(joined, sizeof joined, "%s", buf_cstr(&b));
    buf_free(&b);
    return joined;
}

/* The tokens of s as "text/K" with K = W, N or P, space separated. */
static const char *toks(const char *s)
{
    Token *t;
    size_t n = tokenize(&arena, s, strlen(s), &t);
    Buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_putc(&b, ' ');
        buf_append(&b, s + t[i].start, t[i].len);
        buf_putc(&b, '/');
        buf_putc(&b, "WNP"[t[i].kind]);
    }
    snprintf(joined, sizeof joined, "%s", buf_cstr(&b));
    buf_free(&b);
    return joined;
}

static const char *fold(const char *s)
{
    Buf b = {0};
    text_fold(&b, s, strlen(s));
    snprintf(joined, sizeof joined, "%s", buf_cstr(&b));
    buf_free(&b);
    return joined;
}

static const char *stem(const char *lang, const char *word)
{
    Stemmer *st = stemmer_new(lang);
    size_t len;
    const char *r = stemmer_stem(st, word, strlen(word), &len);
    snprintf(joined, sizeof joined, "%.*s", (int)len, r);
    stemmer_free(st);
    return joined;
}

/* ---- text_clean, text_fold, properties ---- */

static void test_clean_collapses_spaces_and_blank_lines(void)
{
    const char *in = "  Hello \t  world  \r\n\r\n\r\n\n Next\rline  ";
    CHECK_STR(text_clean(&arena, in, strlen(in)), "Hello world\n\nNext\nline");
}

static void test_clean_replaces_invalid_bytes_and_drops_controls(void)
{
    const char in[] = "a\xff" "b\x01" "c\0d\x7f" "e";
    CHECK_STR(text_clean(&arena, in, sizeof in - 1), "a\xEF\xBF\xBD" "bcde");
}

static void test_clean_turns_unicode_spaces_into_spaces(void)
{
    /* NBSP, thin space, ideographic space; soft hyphen and ZWSP vanish */
    const char *in = "1\xC2\xA0" "000\xE2\x80\x89km\xE3\x80\x80ok in\xC2\xAD" "side\xE2\x80\x8B!";
    CHECK_STR(text_clean(&arena, in, strlen(in)), "1 000 km ok inside!");
}

static void test_clean_normalises_to_nfc(void)
{
    const char *in = "Cafe\xCC\x81"; /* e + combining acute */
    CHECK_STR(text_clean(&arena, in, strlen(in)), "Caf\xC3\xA9");
}

static void test_clean_strips_trailing_spaces_on_each_line(void)
{
    CHECK_STR(text_clean(&arena, "one   \n   two", 13), "one\ntwo");
}

static void test_clean_line_joins_lines(void)
{
    const char *in = " Breaking:\n\n  big\r\nnews \n";
    CHECK_STR(text_clean_line(&arena, in, strlen(in)), "Breaking: big news");
}

static void test_clean_empty_and_blank_input(void)
{
    CHECK_STR(text_clean(&arena, "", 0), "");
    CHECK_STR(text_clean(&arena, " \n\t\r\n ", 6), "");
    CHECK_STR(text_clean_line(&arena, NULL, 0), "");
}

static void test_clean_reads_only_n_bytes(void)
{
    CHECK_STR(text_clean(&arena, "abcdef", 3), "abc");
    CHECK_STR(text_clean(&arena, "\xC3\xA9", 1), "\xEF\xBF\xBD"); /* cut sequence */
}

/* Clean input is read in place, anything else repaired and normalised
 * first; both ways give the same text. Long runs cross the 16-byte scan. */
static void test_clean_fast_and_slow_paths_agree(void)
{
    const char clean_in[] = "  Storm  hits \t the coast.\r\n\r\nPower is out for 14,000 homes \xE2\x80\x94 "
                            "officials said on Monday, \xE2\x80\x9Cwe expect more\xE2\x80\x9D.  ";
    char with_nul[sizeof clean_in + 1];
    memcpy(with_nul, clean_in, 20);
    with_nul[20] = '\0'; /* NUL bytes are dropped: the slow path */
    memcpy(with_nul + 21, clean_in + 20, sizeof clean_in - 20);
    const char *fast = text_clean(&arena, clean_in, sizeof clean_in - 1);
    const char *slow = text_clean(&arena, with_nul, sizeof with_nul - 1);
    CHECK_STR(slow, fast);
    CHECK_STR(fast, "Storm hits the coast.\n\nPower is out for 14,000 homes \xE2\x80\x94 officials said on "
                    "Monday, \xE2\x80\x9Cwe expect more\xE2\x80\x9D.");
    CHECK_STR(text_clean_line(&arena, clean_in, sizeof clean_in - 1),
              "Storm hits the coast. Power is out for 14,000 homes \xE2\x80\x94 officials said on Monday, "
              "\xE2\x80\x9Cwe expect more\xE2\x80\x9D.");
    /* a non-NFC sequence after a long ASCII run */
    const char *late = "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz Cafe\xCC\x81";
    CHECK_STR(text_clean(&arena, late, strlen(late)),
              "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz Caf\xC3\xA9");
}

static void test_fold_removes_case_and_diacritics(void)
{
    CHECK_STR(fold("Z\xC3\xBCrich"), "zurich");
    CHECK_STR(fold("\xC3\x89" "COLE"), "ecole");
    CHECK_STR(fold("Stra\xC3\x9F" "e"), "strasse");
    CHECK_STR(fold("S\xC3\xA3o Paulo"), "sao paulo");
    CHECK_STR(fold("\xEF\xAC\x81" "nance"), "finance"); /* fi ligature */
    CHECK_STR(fold("NATO"), "nato");
}

static void test_fold_keeps_cyrillic_short_i_and_yi(void)
{
    CHECK_STR(fold("\xD0\x9D\xD0\xBE\xD0\xB2\xD1\x8B\xD0\xB9"), "\xD0\xBD\xD0\xBE\xD0\xB2\xD1\x8B\xD0\xB9"); /* Новый -> новый */
    CHECK_STR(fold("\xD0\x87\xD1\x97"), "\xD1\x97\xD1\x97");                                             /* Її -> її */
    CHECK_STR(fold("\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0"), "\xD0\xB5\xD0\xBB\xD0\xBA\xD0\xB0");             /* Ёлка -> елка */
}

static void test_fold_empty_and_invalid(void)
{
    CHECK_STR(fold(""), "");
    Buf b = {0};
    text_fold(&b, "A\xff" "B", 3);
    CHECK_STR(buf_cstr(&b), "a\xEF\xBF\xBD" "b");
    buf_free(&b);
    text_fold(&b, "ABCD", 2);
    CHECK_STR(buf_cstr(&b), "ab");
    buf_free(&b);
}

static void test_properties(void)
{
    CHECK(text_is_letter('a') && text_is_letter(0xE9) && text_is_letter(0x416) && text_is_letter(0x4E2D));
    CHECK(!text_is_letter('1') && !text_is_letter(' ') && !text_is_letter('-'));
    CHECK(text_is_digit('7') && text_is_digit(0x0663) && !text_is_digit('x'));
    CHECK(text_is_upper('Q') && text_is_upper(0xC9) && text_is_upper(0x416) && !text_is_upper('q'));
    CHECK(text_is_space(' ') && text_is_space('\n') && text_is_space(0xA0) && text_is_space(0x2009));
    CHECK(text_is_space(0x3000) && !text_is_space('x') && !text_is_space(0x200B));
    CHECK(text_is_punct('.') && text_is_punct(0x201C) && text_is_punct(0xBB) && !text_is_punct('a'));
    CHECK(!text_is_letter(0x110000) && !text_is_upper(0xFFFFFFFFu));
}

/* ---- tokenize ---- */

static void test_tokenize_words_numbers_punct(void)
{
    CHECK_STR(toks("Putin's don't Mar-a-Lago, U.S. 3.5 14,000 40%."),
              "Putin's/W don't/W Mar-a-Lago/W ,/P U.S./W 3.5/N 14,000/N 40%/N ./P");
}

static void test_tokenize_curly_apostrophe_and_quotes(void)
{
    CHECK_STR(toks("\xE2\x80\x9CKyiv\xE2\x80\x99s plan\xE2\x80\x9D"),
              "\xE2\x80\x9C/P Kyiv\xE2\x80\x99s/W plan/W \xE2\x80\x9D/P");
}

static void test_tokenize_hyphens_and_mixed(void)
{
    CHECK_STR(toks("COVID-19 9-year-old 2019-2020 G7 1990s -5"),
              "COVID-19/W 9-year-old/W 2019/N -/P 2020/N G7/W 1990s/W -/P 5/N");
}

static void test_tokenize_trailing_and_leading_joiners(void)
{
    CHECK_STR(toks("'quoted' end- 3. e.g. A.Smith"),
              "'/P quoted/W '/P end/W -/P 3/N ./P e.g./W A/W ./P Smith/W");
}

static void test_tokenize_flags(void)
{
    const char *s = "NATO Berlin iPhone A U.S. \xC3\x89lys\xC3\xA9" "e";
    Token *t;
    size_t n = tokenize(&arena, s, strlen(s), &t);
    CHECK_INT(n, 6);
    CHECK(t[0].upper && t[0].all_caps);
    CHECK(t[1].upper && !t[1].all_caps);
    CHECK(!t[2].upper && !t[2].all_caps);
    CHECK(t[3].upper && !t[3].all_caps); /* one letter is not an acronym */
    CHECK(t[4].upper && t[4].all_caps);
    CHECK(t[5].upper && !t[5].all_caps && t[5].len == 8);
}

/* The sixteen-byte paths of text_clean_line, text_fold and tokenize
 * against byte-at-a-time references: ASCII texts where spaces, tabs,
 * line breaks, capitals and a non-ASCII letter fall at every offset
 * around a 16-byte block. */
static void test_wide_paths_match_bytewise(void)
{
    static const char alphabet[] = "aZ  \t\nQx-.'9";
    unsigned seed = 12345;
    for (int round = 0; round < 400; round++) {
        char s[80], want[80];
        size_t n = 17 + (size_t)round % 60;
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            s[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        s[n] = '\0';
        /* text_clean_line: white space runs become one space, trimmed */
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            int ws = s[i] == ' ' || s[i] == '\t' || s[i] == '\n';
            if (ws && (k == 0 || want[k - 1] == ' '))
                continue;
            want[k++] = ws ? ' ' : s[i];
        }
        while (k > 0 && want[k - 1] == ' ')
            k--;
        want[k] = '\0';
        CHECK_STR(text_clean_line(&arena, s, n), want);
        /* text_fold: ASCII lowered */
        Buf f = {0};
        text_fold(&f, s, n);
        for (size_t i = 0; i < n; i++)
            want[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]);
        want[n] = '\0';
        CHECK_STR(buf_cstr(&f), want);
        buf_free(&f);
        /* tokenize: all_caps is 2+ letters and none in lower case */
        Token *t;
        size_t nt = tokenize(&arena, s, n, &t);
        for (size_t i = 0; i < nt; i++) {
            if (t[i].kind != TOK_WORD)
                continue;
            size_t letters = 0, lower = 0;
            for (uint32_t j = 0; j < t[i].len; j++) {
                char c = s[t[i].start + j];
                letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                lower += c >= 'a' && c <= 'z';
            }
            CHECK_INT(t[i].all_caps, letters >= 2 && lower == 0);
        }
    }
    /* a non-ASCII letter inside a long run, and a lower-case one after capitals */
    const char *mixed = "abcdefghijklmnopq\xC3\xA9rstuvwxyz0123456789   end";
    CHECK_STR(text_clean_line(&arena, mixed, strlen(mixed)),
              "abcdefghijklmnopq\xC3\xA9rstuvwxyz0123456789 end");
    Buf f = {0};
    text_fold(&f, "ABCDEFGHIJKLMNOPQRSTUV\xC3\x89WXYZ", 28);
    CHECK_STR(buf_cstr(&f), "abcdefghijklmnopqrstuvewxyz"); /* folding drops the accent */
    buf_free(&f);
    Token *t;
    CHECK_INT(tokenize(&arena, "ABCDEFGHIJKLMNOPQRSTUVWXYZ\xC3\xA9", 28, &t), 1);
    CHECK(!t[0].all_caps);
    CHECK_INT(tokenize(&arena, "ABCDEFGHIJKLMNOPQRSTUVWXYZ\xC3\x89", 28, &t), 1);
    CHECK(t[0].all_caps);
}

static void test_tokenize_cyrillic_and_invalid_bytes(void)
{
    CHECK_STR(toks("\xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2 \xff!"), "\xD0\x9A\xD0\xB8\xD1\x97\xD0\xB2/W \xff/P !/P");
}

/* Han and kana are written without spaces: one word token a character,
 * and a Latin word next to them ends where they start. */
static void test_tokenize_unspaced_scripts(void)
{
    /* 造纸厂起火。 ("paper mill fire.") */
    CHECK_STR(toks("\xE9\x80\xA0\xE7\xBA\xB8\xE5\x8E\x82\xE8\xB5\xB7\xE7\x81\xAB\xE3\x80\x82"),
              "\xE9\x80\xA0/W \xE7\xBA\xB8/W \xE5\x8E\x82/W \xE8\xB5\xB7/W \xE7\x81\xAB/W \xE3\x80\x82/P");
    /* iPhone发布 2026 ("iPhone launch"), カメラ ("camera", katakana) */
    CHECK_STR(toks("iPhone\xE5\x8F\x91\xE5\xB8\x83 2026 \xE3\x82\xAB\xE3\x83\xA1\xE3\x83\xA9"),
              "iPhone/W \xE5\x8F\x91/W \xE5\xB8\x83/W 2026/N \xE3\x82\xAB/W \xE3\x83\xA1/W \xE3\x83\xA9/W");
    /* Hangul is written with spaces: its words stay whole */
    CHECK_STR(toks("\xEC\x84\x9C\xEC\x9A\xB8 \xED\x99\x94\xEC\x9E\xAC"),
              "\xEC\x84\x9C\xEC\x9A\xB8/W \xED\x99\x94\xEC\x9E\xAC/W");
}

static void test_tokenize_empty_and_bounded(void)
{
    Token *t = (Token *)1;
    CHECK_INT(tokenize(&arena, "", 0, &t), 0);
    CHECK(t == NULL);
    CHECK_INT(tokenize(&arena, "   \n\t", 5, &t), 0);
    /* "ab" of "abc": the token stops at n */
    CHECK_INT(tokenize(&arena, "abc", 2, &t), 1);
    CHECK_INT(t[0].len, 2);
    /* a multi-byte character cut by n is one invalid byte, not read past */
    CHECK_INT(tokenize(&arena, "a \xC3\xA9", 3, &t), 2);
    CHECK_INT(t[1].len, 1);
    CHECK_INT(tokenize(&arena, "3.", 2, &t), 2);
}

/* ---- sentence_split ---- */

static void test_sentence_basic(void)
{
    CHECK_STR(split("The cat sat. The dog ran! Did it? Yes.", NULL),
              "The cat sat. | The dog ran! | Did it? | Yes.");
}

static void test_sentence_titles_never_split(void)
{
    CHECK_STR(split("Mr. Smith met Dr. Jones and Gov. Newsom. They talked.", NULL),
              "Mr. Smith met Dr. Jones and Gov. Newsom. | They talked.");
    CHECK_STR(split("Mrs. Brown and Prof. White met Sen. Black, Lt. Gen. Gray and Sgt. Green.", NULL),
              "Mrs. Brown and Prof. White met Sen. Black, Lt. Gen. Gray and Sgt. Green.");
}

static void test_sentence_initials(void)
{
    CHECK_STR(split("John F. Kennedy was shot. J. K. Rowling wrote it.", NULL),
              "John F. Kennedy was shot. | J. K. Rowling wrote it.");
}

static void test_sentence_initial_before_starter_splits(void)
{
    CHECK_STR(split("It was World War I. The war ended.", NULL), "It was World War I. | The war ended.");
}

static void test_sentence_decimals_and_numbers(void)
{
    CHECK_STR(split("Growth was 3.5 percent. It ranked No. 4 in 2019. 15 people came.", NULL),
              "Growth was 3.5 percent. | It ranked No. 4 in 2019. | 15 people came.");
}

static void test_sentence_dotted_acronym_before_starter(void)
{
    CHECK_STR(split("He lives in the U.S. The next day he left.", NULL),
              "He lives in the U.S. | The next day he left.");
}

static void test_sentence_dotted_acronym_before_name(void)
{
    CHECK_STR(split("The U.S. Army said so. U.N. Secretary-General Guterres agreed.", NULL),
              "The U.S. Army said so. | U.N. Secretary-General Guterres agreed.");
}

static void test_sentence_latin_abbreviations(void)
{
    CHECK_STR(split("Fruit, e.g. Apples, i.e. Red ones, etc. are sold. Prices vs. Costs rose.", NULL),
              "Fruit, e.g. Apples, i.e. Red ones, etc. are sold. | Prices vs. Costs rose.");
}

static void test_sentence_etc_before_capital_splits(void)
{
    CHECK_STR(split("They sold apples, pears etc. Then they left.", NULL),
              "They sold apples, pears etc. | Then they left.");
}

static void test_sentence_company_and_month(void)
{
    CHECK_STR(split("Apple Inc. Chief Executive Tim Cook spoke on Jan. 5 in St. Louis. He smiled.", NULL),
              "Apple Inc. Chief Executive Tim Cook spoke on Jan. 5 in St. Louis. | He smiled.");
    CHECK_STR(split("He works for Acme Inc. The firm grew.", NULL), "He works for Acme Inc. | The firm grew.");
}

static void test_sentence_times(void)
{
    CHECK_STR(split("It began at 5 p.m. The crowd left at 9 a.m. on Monday.", NULL),
              "It began at 5 p.m. | The crowd left at 9 a.m. on Monday.");
}

static void test_sentence_ellipsis(void)
{
    CHECK_STR(split("He paused... Then he left. Well \xE2\x80\xA6 maybe not... or maybe.", NULL),
              "He paused... | Then he left. | Well \xE2\x80\xA6 maybe not... or maybe.");
}

static void test_sentence_closing_quotes(void)
{
    CHECK_STR(split("He said, \"We will win.\" Then he left.", NULL),
              "He said, \"We will win.\" | Then he left.");
    CHECK_STR(split("\xE2\x80\x9CWe will win.\xE2\x80\x9D Then he left.", NULL),
              "\xE2\x80\x9CWe will win.\xE2\x80\x9D | Then he left.");
    CHECK_STR(split("It offered 'very low prices.' This was new.", NULL),
              "It offered 'very low prices.' | This was new.");
}

static void test_sentence_question_in_quotes_then_lowercase(void)
{
    CHECK_STR(split("\"Why?\" she asked. \"Now!\" He ran.", NULL), "\"Why?\" she asked. | \"Now!\" | He ran.");
}

static void test_sentence_question_exclamation_runs(void)
{
    CHECK_STR(split("Really?! Yes!!! Is it?? No.", NULL), "Really?! | Yes!!! | Is it?? | No.");
}

static void test_sentence_brackets(void)
{
    CHECK_STR(split("It rose (see chart.) Then it fell (by 5 p.m.) and stopped.", NULL),
              "It rose (see chart.) | Then it fell (by 5 p.m.) and stopped.");
}

static void test_sentence_starts_with_opening_quote(void)
{
    CHECK_STR(split("Done. 'If Kyiv does not agree, it will lose,' Peskov warned.", NULL),
              "Done. | 'If Kyiv does not agree, it will lose,' Peskov warned.");
}

static void test_sentence_paragraphs(void)
{
    const char *s = "First one. Second one.\n\nThird one.\n \nFourth";
    SentenceSpan *sp;
    size_t n = sentence_split(&arena, s, strlen(s), NULL, &sp);
    CHECK_INT(n, 4);
    CHECK_INT(sp[0].paragraph, 0);
    CHECK_INT(sp[1].paragraph, 0);
    CHECK_INT(sp[2].paragraph, 1);
    CHECK_INT(sp[3].paragraph, 2);
    CHECK_STR(split(s, NULL), "First one. | Second one. | Third one. | Fourth");
}

static void test_sentence_heading_line(void)
{
    CHECK_STR(split("Historic Florida Meeting Yields Guarantees\nUkrainian President Zelensky met Trump.", NULL),
              "Historic Florida Meeting Yields Guarantees | Ukrainian President Zelensky met Trump.");
}

static void test_sentence_wrapped_line_joins(void)
{
    CHECK_STR(split("The talks went on for\nhours and ended late. They met with the\nPresident again.", NULL),
              "The talks went on for\nhours and ended late. | They met with the\nPresident again.");
}

static void test_sentence_list_items(void)
{
    CHECK_STR(split("Key points:\n- a ceasefire\n- a referendum", NULL),
              "Key points: | - a ceasefire | - a referendum");
}

static void test_sentence_spans_exclude_whitespace(void)
{
    const char *s = "  \n Hello there.   \n\n  General Kenobi!  \n";
    SentenceSpan *sp;
    size_t n = sentence_split(&arena, s, strlen(s), NULL, &sp);
    CHECK_INT(n, 2);
    CHECK_INT(sp[0].start, 4);
    CHECK_INT(sp[0].len, 12);
    CHECK_INT(sp[1].start, 23);
    CHECK_INT(sp[1].len, 15);
}

static void test_sentence_list_markers_stay_with_their_item(void)
{
    CHECK_STR(split("Steps:\n1. First point.\n2. Second point.\nA. Third one.", NULL),
              "Steps: | 1. First point. | 2. Second point. | A. Third one.");
}

static void test_sentence_crlf(void)
{
    CHECK_STR(split("One.\r\n\r\nTwo.\r\nThree", NULL), "One. | Two. | Three");
}

static void test_sentence_german(void)
{
    CHECK_STR(split("Am 3. Oktober 1990 kam die Einheit. Es gibt z.B. \xC3\x84pfel usw. Die Nr. 5 fehlt.", "de"),
              "Am 3. Oktober 1990 kam die Einheit. | Es gibt z.B. \xC3\x84pfel usw. | Die Nr. 5 fehlt.");
    CHECK_STR(split("Es starben 12 Menschen. Die Polizei kam.", "de"), "Es starben 12 Menschen. | Die Polizei kam.");
    CHECK_STR(split("Das ist z. B. f\xC3\xBCr Rentner schwer. Das Gen. Die Forscher streiten.", "de"),
              "Das ist z. B. f\xC3\xBCr Rentner schwer. | Das Gen. | Die Forscher streiten.");
}

static void test_sentence_french(void)
{
    CHECK_STR(split("M. Macron a vu Mme Dupont. \xC2\xAB Bonjour. \xC2\xBB Il est parti.", "fr"),
              "M. Macron a vu Mme Dupont. | \xC2\xAB Bonjour. \xC2\xBB | Il est parti.");
}

static void test_sentence_spanish_italian_dutch(void)
{
    CHECK_STR(split("La Sra. Garc\xC3\xAD" "a lleg\xC3\xB3. \xC2\xBF" "Y ahora? Nada.", "es"),
              "La Sra. Garc\xC3\xAD" "a lleg\xC3\xB3. | \xC2\xBF" "Y ahora? | Nada.");
    CHECK_STR(split("Il Dott. Rossi e il Sig. Bianchi sono qui. Poi vanno via.", "it"),
              "Il Dott. Rossi e il Sig. Bianchi sono qui. | Poi vanno via.");
    CHECK_STR(split("Dhr. Jansen kwam. Hij bleef.", "nl"), "Dhr. Jansen kwam. | Hij bleef.");
}

static void test_sentence_russian(void)
{
    const char *s = "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD \xD0\xBF\xD1\x80\xD0\xB8\xD0\xB5\xD1\x85\xD0\xB0\xD0\xBB. "
                    "\xD0\x9E\xD0\xBD \xD1\x83\xD0\xB5\xD1\x85\xD0\xB0\xD0\xBB."; /* Путин приехал. Он уехал. */
    SentenceSpan *sp;
    CHECK_INT(sentence_split(&arena, s, strlen(s), "ru", &sp), 2);
}

static void test_sentence_cyrillic_initials_and_abbreviations(void)
{
    /* "В. В. Путин прибыл в 2020 г. в Москву, т.е. Вчера. Он уехал." */
    const char *s = "\xD0\x92. \xD0\x92. \xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD "
                    "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB1\xD1\x8B\xD0\xBB \xD0\xB2 2020 \xD0\xB3. "
                    "\xD0\xB2 \xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD1\x83, \xD1\x82.\xD0\xB5. "
                    "\xD0\x92\xD1\x87\xD0\xB5\xD1\x80\xD0\xB0. \xD0\x9E\xD0\xBD "
                    "\xD1\x83\xD0\xB5\xD1\x85\xD0\xB0\xD0\xBB.";
    SentenceSpan *sp;
    size_t n = sentence_split(&arena, s, strlen(s), "ru", &sp);
    CHECK_INT(n, 2);
    if (n == 2)
        CHECK_INT(sp[1].start, strlen(s) - 16); /* "Он уехал." */
}

static void test_sentence_cjk(void)
{
    CHECK_STR(split("\xE6\x88\x91\xE6\x9D\xA5\xE4\xBA\x86\xE3\x80\x82\xE4\xBB\x96\xE8\xB5\xB0\xE4\xBA\x86\xE3\x80\x82", NULL),
              "\xE6\x88\x91\xE6\x9D\xA5\xE4\xBA\x86\xE3\x80\x82 | \xE4\xBB\x96\xE8\xB5\xB0\xE4\xBA\x86\xE3\x80\x82");
}

static void test_sentence_no_space_after_period_does_not_split(void)
{
    CHECK_STR(split("See example.com for more. Node.js is fine.", NULL),
              "See example.com for more. | Node.js is fine.");
}

static void test_sentence_empty_and_bounded(void)
{
    SentenceSpan *sp = (SentenceSpan *)1;
    CHECK_INT(sentence_split(&arena, "", 0, NULL, &sp), 0);
    CHECK(sp == NULL);
    CHECK_INT(sentence_split(&arena, " \n\n \t", 5, NULL, &sp), 0);
    CHECK_INT(sentence_split(&arena, "...", 3, NULL, &sp), 1);
    /* only the first 9 bytes: "One. Two." */
    CHECK_INT(sentence_split(&arena, "One. Two. Three.", 9, NULL, &sp), 2);
    CHECK_INT(sp[1].start + sp[1].len, 9);
    CHECK_INT(sentence_split(&arena, "Mr.", 2, NULL, &sp), 1);
    CHECK_INT(sp[0].len, 2);
}

static void test_sentence_example_page_paragraph(void)
{
    const char *s =
        "President Trump expressed optimism about the negotiations, stating that about 90-95% of peace plan "
        "documents had been finalized. He revealed he had spoken with Putin for over two hours before meeting "
        "Zelensky. 'I believe Putin wants what's best for Ukraine,' Trump said, mentioning potential energy "
        "supplies at 'very low prices.'";
    SentenceSpan *sp;
    size_t n = sentence_split(&arena, s, strlen(s), "en", &sp);
    CHECK_INT(n, 3);
    if (n == 3)
        CHECK(sp[2].start + sp[2].len == strlen(s));
}

/* ---- stop words ---- */

static void test_stopwords_lists_sorted_and_folded(void)
{
    for (size_t l = 0; stopword_languages[l]; l++) {
        size_t n;
        const char *const *w = stopword_list(stopword_languages[l], &n);
        CHECK(n >= 100);
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && strcmp(w[i - 1], w[i]) >= 0) {
                fprintf(stderr, "  %s: '%s' before '%s'\n", stopword_languages[l], w[i - 1], w[i]);
                CHECK(0);
            }
            if (strcmp(fold(w[i]), w[i]) != 0) {
                fprintf(stderr, "  %s: '%s' is not folded\n", stopword_languages[l], w[i]);
                CHECK(0);
            }
            /* every listed word is found, whatever its length, and is
             * not found with a letter more */
            size_t wl = strlen(w[i]);
            CHECK(stopword_is(stopword_languages[l], w[i], wl));
            char longer[64];
            snprintf(longer, sizeof longer, "%sq", w[i]);
            CHECK(stopword_langs(longer, wl + 1) == 0);
            /* the lookup index keeps words of up to 24 bytes inline */
            if (strlen(w[i]) == 0 || strlen(w[i]) > 24) {
                fprintf(stderr, "  %s: '%s' is empty or longer than 24 bytes\n", stopword_languages[l], w[i]);
                CHECK(0);
            }
        }
    }
}

static void test_stopwords_lookup(void)
{
    CHECK(stopword_is("en", "the", 3));
    CHECK(stopword_is("en", "would", 5) && stopword_is("en", "also", 4) && stopword_is("en", "one", 3));
    CHECK(!stopword_is("en", "said", 4));
    CHECK(!stopword_is("en", "putin", 5));
    CHECK(stopword_is("en", "don't", 5));
    CHECK(stopword_is("en", "don\xE2\x80\x99t", 7));
    CHECK(stopword_is("en", "thereby", 3) == 1); /* "the" is the first 3 bytes */
    CHECK(stopword_is("de", "fur", 3));
    CHECK(stopword_is("fr", "etait", 5));
    CHECK(stopword_is("pt-BR", "nao", 3));
    CHECK(stopword_is("RU", "\xD0\xBA\xD0\xB0\xD0\xBA", 6));     /* как */
    CHECK(stopword_is("uk", "\xD1\x89\xD0\xBE", 4));             /* що */
    CHECK(stopword_is("xx", "the", 3));                          /* unknown: English */
    CHECK(!stopword_is("de", "the", 3));
    CHECK(!stopword_is("en", "", 0) && !stopword_is("en", NULL, 0));
}

/* stopword_langs and stopword_lang_bit split stopword_is in two. */
static void test_stopwords_langs_agree_with_is(void)
{
    static const char *const probes[] = {"the", "said", "fur", "etait", "don't", "don\xE2\x80\x99t", "nao",
                                         "\xD1\x89\xD0\xBE", "zzz", "", "in", "de"};
    static const char *const langs[] = {"en", "de", "es", "fr", "it", "pt", "nl", "ru", "uk", "pt-BR", "xx", NULL};
    for (size_t l = 0; langs[l]; l++) {
        unsigned bit = stopword_lang_bit(langs[l]);
        CHECK(bit != 0 && (bit & (bit - 1)) == 0);
        for (size_t i = 0; i < sizeof probes / sizeof probes[0]; i++) {
            int via = (stopword_langs(probes[i], strlen(probes[i])) & bit) != 0;
            CHECK_INT(via, stopword_is(langs[l], probes[i], strlen(probes[i])));
        }
        size_t n;
        const char *const *w = stopword_list(langs[l], &n);
        for (size_t i = 0; i < n; i++)
            CHECK(stopword_langs(w[i], strlen(w[i])) & bit);
    }
    CHECK_INT(stopword_langs(NULL, 0), 0);
    CHECK(stopword_lang_bit("xx") == stopword_lang_bit("en"));
}

static void test_stopwords_count(void)
{
    CHECK_INT(stopword_count("en", "The man and THE dog, said Putin's aide.", 39), 3);
    const char *fr = "L'arm\xC3\xA9" "e est arriv\xC3\xA9" "e dans la ville";
    CHECK_INT(stopword_count("fr", fr, strlen(fr)), 4);
    CHECK_INT(stopword_count("en", "", 0), 0);
    CHECK_INT(stopword_count("en", "the", 2), 0);
}

/* ---- stemming ---- */

static void test_stem_languages(void)
{
    CHECK_STR(stem("en", "running"), "run");
    CHECK_STR(stem(NULL, "elections"), "elect");
    CHECK_STR(stem("de", "regierungen"), "regier");
    CHECK_STR(stem("fr", "presidentielles"), "presidentiel");
    CHECK_STR(stem("es", "elecciones"), "eleccion");
    CHECK_STR(stem("ru", "\xD0\xBD\xD0\xBE\xD0\xB2\xD1\x8B\xD0\xB9"), "\xD0\xBD\xD0\xBE\xD0\xB2"); /* новый -> нов */
}

static void test_stem_ukrainian_is_identity(void)
{
    const char *w = "\xD0\xB2\xD0\xB8\xD0\xB1\xD0\xBE\xD1\x80\xD0\xB0\xD1\x85"; /* виборах */
    CHECK_STR(stem("uk", w), w);
    CHECK_STR(stem("pl", "wyborach"), "wyborach");
}

static void test_stem_edge_cases(void)
{
    Stemmer *st = stemmer_new("en");
    size_t len = 99;
    const char *r = stemmer_stem(st, "", 0, &len);
    CHECK(r != NULL && len == 0);
    r = stemmer_stem(st, "runningXYZ", 7, &len); /* only "running" */
    CHECK(len == 3 && memcmp(r, "run", 3) == 0);
    r = stemmer_stem(st, "\xff\xfe", 2, &len);
    CHECK(len == 2);
    stemmer_free(st);
    stemmer_free(NULL);
}

/* ---- language identification ---- */

static const struct {
    const char *lang, *text;
} paragraphs[] = {
    {"en", "The government announced on Monday that it would raise taxes on large companies. Officials said "
           "the money would be used to repair roads and schools across the country. Opposition leaders "
           "criticised the plan and called for a vote in parliament."},
    {"de", "Die Bundesregierung hat am Montag angek\xC3\xBCndigt, die Steuern f\xC3\xBCr gro\xC3\x9F" "e Unternehmen "
           "zu erh\xC3\xB6hen. Das Geld soll nach Angaben der Beh\xC3\xB6rden f\xC3\xBCr Stra\xC3\x9F" "en und "
           "Schulen im ganzen Land verwendet werden. Die Opposition kritisierte den Plan scharf."},
    {"es", "El gobierno anunci\xC3\xB3 el lunes que subir\xC3\xA1 los impuestos a las grandes empresas. Seg\xC3\xBAn "
           "los funcionarios, el dinero se usar\xC3\xA1 para reparar carreteras y escuelas en todo el pa\xC3\xADs. "
           "Los l\xC3\xAD" "deres de la oposici\xC3\xB3n criticaron el plan."},
    {"fr", "Le gouvernement a annonc\xC3\xA9 lundi qu'il augmenterait les imp\xC3\xB4ts des grandes entreprises. "
           "Selon les responsables, l'argent servira \xC3\xA0 r\xC3\xA9parer les routes et les \xC3\xA9" "coles "
           "dans tout le pays. Les dirigeants de l'opposition ont critiqu\xC3\xA9 ce projet."},
    {"it", "Il governo ha annunciato luned\xC3\xAC che aumenter\xC3\xA0 le tasse sulle grandi aziende. Secondo i "
           "funzionari, il denaro sar\xC3\xA0 usato per riparare strade e scuole in tutto il paese. I leader "
           "dell'opposizione hanno criticato il piano."},
    {"pt", "O governo anunciou na segunda-feira que vai aumentar os impostos sobre as grandes empresas. "
           "Segundo as autoridades, o dinheiro ser\xC3\xA1 usado para reparar estradas e escolas em todo o "
           "pa\xC3\xADs. Os l\xC3\xAD" "deres da oposi\xC3\xA7\xC3\xA3o criticaram o plano."},
    {"nl", "De regering heeft maandag aangekondigd dat zij de belastingen voor grote bedrijven gaat verhogen. "
           "Volgens ambtenaren wordt het geld gebruikt om wegen en scholen in het hele land te herstellen. "
           "De oppositie heeft kritiek op het plan."},
    {"ru", "\xD0\x9F\xD1\x80\xD0\xB0\xD0\xB2\xD0\xB8\xD1\x82\xD0\xB5\xD0\xBB\xD1\x8C\xD1\x81\xD1\x82\xD0\xB2\xD0\xBE "
           "\xD0\xBE\xD0\xB1\xD1\x8A\xD1\x8F\xD0\xB2\xD0\xB8\xD0\xBB\xD0\xBE \xD0\xB2 \xD0\xBF\xD0\xBE\xD0\xBD\xD0\xB5"
           "\xD0\xB4\xD0\xB5\xD0\xBB\xD1\x8C\xD0\xBD\xD0\xB8\xD0\xBA, \xD1\x87\xD1\x82\xD0\xBE \xD0\xBF\xD0\xBE\xD0\xB2"
           "\xD1\x8B\xD1\x81\xD0\xB8\xD1\x82 \xD0\xBD\xD0\xB0\xD0\xBB\xD0\xBE\xD0\xB3\xD0\xB8 \xD0\xB4\xD0\xBB\xD1\x8F "
           "\xD0\xBA\xD1\x80\xD1\x83\xD0\xBF\xD0\xBD\xD1\x8B\xD1\x85 \xD0\xBA\xD0\xBE\xD0\xBC\xD0\xBF\xD0\xB0\xD0\xBD"
           "\xD0\xB8\xD0\xB9. \xD0\x9F\xD0\xBE \xD1\x81\xD0\xBB\xD0\xBE\xD0\xB2\xD0\xB0\xD0\xBC \xD1\x87\xD0\xB8\xD0"
           "\xBD\xD0\xBE\xD0\xB2\xD0\xBD\xD0\xB8\xD0\xBA\xD0\xBE\xD0\xB2, \xD0\xB4\xD0\xB5\xD0\xBD\xD1\x8C\xD0\xB3\xD0"
           "\xB8 \xD0\xBF\xD0\xBE\xD0\xB9\xD0\xB4\xD1\x83\xD1\x82 \xD0\xBD\xD0\xB0 \xD1\x80\xD0\xB5\xD0\xBC\xD0\xBE"
           "\xD0\xBD\xD1\x82 \xD0\xB4\xD0\xBE\xD1\x80\xD0\xBE\xD0\xB3 \xD0\xB8 \xD1\x88\xD0\xBA\xD0\xBE\xD0\xBB "
           "\xD0\xBF\xD0\xBE \xD0\xB2\xD1\x81\xD0\xB5\xD0\xB9 \xD1\x81\xD1\x82\xD1\x80\xD0\xB0\xD0\xBD\xD0\xB5."},
    {"uk", "\xD0\xA3\xD1\x80\xD1\x8F\xD0\xB4 \xD0\xBE\xD0\xB3\xD0\xBE\xD0\xBB\xD0\xBE\xD1\x81\xD0\xB8\xD0\xB2 "
           "\xD1\x83 \xD0\xBF\xD0\xBE\xD0\xBD\xD0\xB5\xD0\xB4\xD1\x96\xD0\xBB\xD0\xBE\xD0\xBA, \xD1\x89\xD0\xBE "
           "\xD0\xBF\xD1\x96\xD0\xB4\xD0\xB2\xD0\xB8\xD1\x89\xD0\xB8\xD1\x82\xD1\x8C \xD0\xBF\xD0\xBE\xD0\xB4\xD0"
           "\xB0\xD1\x82\xD0\xBA\xD0\xB8 \xD0\xB4\xD0\xBB\xD1\x8F \xD0\xB2\xD0\xB5\xD0\xBB\xD0\xB8\xD0\xBA\xD0\xB8"
           "\xD1\x85 \xD0\xBA\xD0\xBE\xD0\xBC\xD0\xBF\xD0\xB0\xD0\xBD\xD1\x96\xD0\xB9. \xD0\x97\xD0\xB0 \xD1\x81"
           "\xD0\xBB\xD0\xBE\xD0\xB2\xD0\xB0\xD0\xBC\xD0\xB8 \xD0\xBF\xD0\xBE\xD1\x81\xD0\xB0\xD0\xB4\xD0\xBE\xD0"
           "\xB2\xD1\x86\xD1\x96\xD0\xB2, \xD0\xB3\xD1\x80\xD0\xBE\xD1\x88\xD1\x96 \xD0\xBF\xD1\x96\xD0\xB4\xD1"
           "\x83\xD1\x82\xD1\x8C \xD0\xBD\xD0\xB0 \xD1\x80\xD0\xB5\xD0\xBC\xD0\xBE\xD0\xBD\xD1\x82 \xD0\xB4\xD0"
           "\xBE\xD1\x80\xD1\x96\xD0\xB3 \xD1\x96 \xD1\x88\xD0\xBA\xD1\x96\xD0\xBB \xD1\x83 \xD0\xB2\xD1\x81"
           "\xD1\x96\xD0\xB9 \xD0\xBA\xD1\x80\xD0\xB0\xD1\x97\xD0\xBD\xD1\x96."},
};

static const char *detect(const char *s)
{
    return langid_detect(s, strlen(s));
}

static void test_langid_paragraphs(void)
{
    for (size_t i = 0; i < sizeof paragraphs / sizeof paragraphs[0]; i++) {
        const char *got = langid_detect(paragraphs[i].text, strlen(paragraphs[i].text));
        if (strcmp(got, paragraphs[i].lang) != 0) {
            fprintf(stderr, "  paragraph %s detected as %s\n", paragraphs[i].lang, got);
            CHECK(0);
        }
    }
}

static void test_langid_short_titles(void)
{
    CHECK_STR(detect("Zelensky secures US security pledge as the Kremlin holds firm"), "en");
    CHECK_STR(detect("Trump says talks with Putin will go on"), "en");
    CHECK_STR(detect("Merz will mit der Ukraine \xC3\xBC" "ber den Frieden sprechen"), "de");
    CHECK_STR(detect("Le pr\xC3\xA9sident rencontre les syndicats \xC3\xA0 Paris"), "fr");
    CHECK_STR(detect("\xD0\x9F\xD1\x80\xD0\xB5\xD0\xB7\xD0\xB8\xD0\xB4\xD0\xB5\xD0\xBD\xD1\x82 "
                     "\xD0\xB7\xD0\xB0\xD1\x8F\xD0\xB2\xD0\xB8\xD0\xB2, \xD1\x89\xD0\xBE "
                     "\xD0\xBF\xD0\xB5\xD1\x80\xD0\xB5\xD0\xB3\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x80\xD0\xB8 "
                            "\xD1\x82\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB0\xD1\x8E\xD1\x82\xD1\x8C"),
              "uk"); /* Президент заявив, що переговори тривають */
}

static void test_langid_unsure_is_und(void)
{
    CHECK_STR(detect("12345 !!!"), "und");
    CHECK_STR(langid_detect("", 0), "und");
    CHECK_STR(langid_detect(NULL, 0), "und");
    CHECK_STR(detect("Berlin"), "und");
    CHECK_STR(detect("\xff\xfe\xfd"), "und");
}

static void test_langid_scripts(void)
{
    CHECK_STR(detect("\xCE\x97 \xCE\xBA\xCF\x85\xCE\xB2\xCE\xAD\xCF\x81\xCE\xBD\xCE\xB7\xCF\x83\xCE\xB7"), "el");
    CHECK_STR(detect("\xE6\x94\xBF\xE5\xBA\x9C\xE5\xAE\xA3\xE5\xB8\x83"), "zh");
}

static void test_langid_reads_only_n_and_shuts_down(void)
{
    const char *s = paragraphs[0].text;
    CHECK_STR(langid_detect(s, strlen(s)), "en");
    CHECK_STR(langid_detect(s, 0), "und");
    langid_shutdown();
    CHECK_STR(langid_detect(s, strlen(s)), "en"); /* loads again after a shutdown */
}

/* ---- robustness ---- */

/* Random byte strings rich in the characters the splitters care about, in
 * exactly-sized heap buffers so that AddressSanitizer sees any read past n.
 * Spans and tokens must stay inside the input, in order, without overlap. */
static void test_random_input_is_safe_and_spans_are_ordered(void)
{
    static const char *const pieces[] = {
        ".", "!", "?", "...", "\"", "'", "\xE2\x80\x9D", "\xE2\x80\x99", "\xC2\xBB", " ", "\n", "\n\n",
        "\r\n", "Mr", "U.S", "a", "B", "3", ",", "-", "\xC3\xA9", "\xD0\x99", "\xE3\x80\x82", "\xff",
        "\xC3", "\xE2\x80", "%", "(", ")", "\t", "\xC2\xA0", "\xE2\x80\xA6", "z", "The", "\xCC\x81", "\0",
    };
    unsigned seed = 12345;
    size_t bad = 0;
    for (int round = 0; round < 3000; round++) {
        Buf b = {0};
        seed = seed * 1103515245u + 12345u;
        int parts = (int)(seed >> 16) % 40;
        for (int i = 0; i < parts; i++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof pieces[0])];
            buf_append(&b, p, p[0] ? strlen(p) : 1);
        }
        size_t n = b.len;
        char *text = malloc(n ? n : 1);
        if (n)
            memcpy(text, b.data, n);
        buf_free(&b);

        SentenceSpan *sp;
        size_t ns = sentence_split(&arena, text, n, round % 2 ? "de" : NULL, &sp);
        size_t prev_end = 0;
        for (size_t i = 0; i < ns; i++) {
            if (sp[i].len == 0 || sp[i].start < prev_end || sp[i].start + sp[i].len > n)
                bad++;
            prev_end = sp[i].start + sp[i].len;
        }
        Token *t;
        size_t nt = tokenize(&arena, text, n, &t);
        prev_end = 0;
        for (size_t i = 0; i < nt; i++) {
            if (t[i].len == 0 || t[i].start < prev_end || t[i].start + t[i].len > n)
                bad++;
            prev_end = t[i].start + t[i].len;
        }
        char *c = text_clean(&arena, text, n);
        if (!utf8_valid(c, strlen(c)))
            bad++;
        Buf f = {0};
        text_fold(&f, text, n);
        if (!utf8_valid(f.data, f.len))
            bad++;
        buf_free(&f);
        langid_detect(text, n);
        stopword_count("fr", text, n);
        free(text);
    }
    CHECK_INT(bad, 0);
}


/* text_word_hash reads a short word with overlapping loads: the same
 * value as hashing its bytes one by one into the last piece, at every
 * length around the 4- and 8-byte steps, for any byte (NUL, high bits). */
static uint64_t word_hash_bytewise(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)n * 0xC2B2AE3D27D4EB4Full);
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
        uint64_t v = 0;
        for (int k = 0; k < 8; k++)
            v |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
        h = (h ^ v) * 0xD6E8FEB86659FD93ull;
    }
    uint64_t last = 0;
    for (size_t k = 0; i + k < n; k++)
        last |= (uint64_t)(unsigned char)s[i + k] << (8 * k);
    h = (h ^ last) * 0xD6E8FEB86659FD93ull;
    return hash64_finish(h);
}

static void test_word_hash_every_length(void)
{
    char w[48];
    uint32_t x = 12345;
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < sizeof w; i++) {
            x = x * 1103515245u + 12345u;
            w[i] = (char)(round % 3 == 0 ? 'a' + (x >> 16) % 26 : (x >> 16) & 0xFF);
        }
        for (size_t n = 0; n <= 40; n++)
            CHECK(text_word_hash(w, n) == word_hash_bytewise(w, n));
    }
}

/* stopword_langs_ascii (the hash passed in) answers as stopword_langs:
 * every listed word, its variants one letter longer, shorter or
 * capitalised, and words longer than any listed one. */
static void test_stopwords_ascii_lookup_agrees(void)
{
    for (size_t l = 0; stopword_languages[l]; l++) {
        size_t n;
        const char *const *list = stopword_list(stopword_languages[l], &n);
        for (size_t i = 0; i < n; i++) {
            char w[64];
            size_t len = strlen(list[i]);
            int ascii = 1;
            for (size_t k = 0; k < len; k++)
                ascii &= (unsigned char)list[i][k] < 0x80;
            if (!ascii || len + 2 > sizeof w)
                continue;
            memcpy(w, list[i], len);
            w[len] = 'x';
            for (size_t m = 1; m <= len + 1; m++)
                CHECK_INT(stopword_langs_ascii(w, m, text_word_hash(w, m)), stopword_langs(w, m));
            w[0] = (char)(w[0] - 32);
            CHECK_INT(stopword_langs_ascii(w, len, text_word_hash(w, len)), stopword_langs(w, len));
        }
    }
    const char *long_word = "internationalisationsxyzabcdefg";
    for (size_t m = 20; m <= strlen(long_word); m++)
        CHECK_INT(stopword_langs_ascii(long_word, m, text_word_hash(long_word, m)), 0);
    CHECK_INT(stopword_langs_ascii("the", 3, text_word_hash("the", 3)), stopword_langs("the", 3));
    CHECK(stopword_langs_ascii("the", 3, text_word_hash("the", 3)) != 0);
    CHECK_INT(stopword_langs_ascii("the", 0, text_word_hash("the", 0)), 0);
}

/* ---- ngram_lm: the n-gram ranking itself, on hand-made fingerprints ---- */

/* "ab" pads to "_ab_": n-grams _ (twice), _a, _ab, _ab_, a, ab, ab_, b,
 * b_ ranked 0..8 (the most frequent first, then first seen first). */
static void test_ngram_lm_distance_by_hand(void)
{
    NgramLm *lm = ngram_lm_new();
    CHECK(ngram_lm_add(lm, "x", "_\t90\n_a 50\n_ab\n", 15) == 0);
    CHECK(ngram_lm_add(lm, "y", "b_\n", 3) == 0);
    const char *codes[4];
    long scores[2];
    CHECK(ngram_lm_classify(lm, "ab", 2, codes, 4, scores) == 1);
    CHECK_STR(codes[0], "x");
    CHECK(scores[0] == 6 * 400);    /* three in place, six missing */
    CHECK(scores[1] == 8 + 8 * 400); /* b_ 8 places off, eight missing */
    /* digits and white space runs are one border: the same profile */
    long again[2];
    ngram_lm_classify(lm, " ab\t\t42 ", 8, codes, 4, again);
    CHECK(again[0] == scores[0] && again[1] == scores[1]);
    ngram_lm_free(lm);
}

/* The ranking against a plain reference (every n-gram counted by a
 * linear search, a stable sort by count, the first 400 ranked): texts
 * with far more than 400 distinct n-grams and many equal counts at the
 * cut, so that only the profile's part is placed (the rest is skipped). */
typedef struct RefGram {
    char s[8];
    size_t len, count;
} RefGram;

static long ref_ngram_distance(const char *text, const char *lm_text)
{
    static char buf[4096];
    static RefGram g[8192];
    size_t len = 0, ng = 0;
    buf[len++] = '_';
    for (const char *p = text; *p; p++) {
        int sep = *p == ' ' || *p == '_' || (*p >= '0' && *p <= '9');
        if (sep) {
            if (buf[len - 1] != '_')
                buf[len++] = '_';
        } else {
            buf[len++] = *p;
        }
    }
    if (buf[len - 1] != '_')
        buf[len++] = '_';
    for (size_t k = 0; k < len; k++)
        for (size_t c = 1; c <= 5 && k + c <= len; c++) {
            size_t i = 0;
            while (i < ng && !(g[i].len == c && memcmp(g[i].s, buf + k, c) == 0))
                i++;
            if (i == ng) {
                memcpy(g[ng].s, buf + k, c);
                g[ng].len = c;
                g[ng++].count = 0;
            }
            g[i].count++;
            if (c > 1 && buf[k + c - 1] == '_')
                break;
        }
    for (size_t i = 1; i < ng; i++) /* stable: ties keep first-seen order */
        for (size_t j = i; j > 0 && g[j].count > g[j - 1].count; j--) {
            RefGram t = g[j];
            g[j] = g[j - 1];
            g[j - 1] = t;
        }
    long dist = 0;
    for (size_t r = 0; r < ng && r < 400; r++) {
        long rank = -1, at = 0;
        for (const char *line = lm_text; *line; at++) {
            size_t l = strcspn(line, "\n");
            if (l == g[r].len && memcmp(line, g[r].s, l) == 0) {
                rank = at;
                break;
            }
            line += l + (line[l] == '\n');
        }
        dist += rank < 0 ? 400 : labs(rank - (long)r);
    }
    return dist;
}

static void test_ngram_lm_matches_reference_at_the_cut(void)
{
    static char text[1600], lm_text[8192];
    uint32_t x = 7;
    for (int round = 0; round < 4; round++) {
        size_t n = 0;
        while (n < sizeof text - 12) { /* words of 1 to 6 letters from a few, some digits */
            x = x * 1103515245u + 12345u;
            size_t wl = 1 + (x >> 16) % 6;
            for (size_t k = 0; k < wl; k++) {
                x = x * 1103515245u + 12345u;
                text[n++] = (char)("etaoinshrdlucmfw"[(x >> 16) % (8 + 2 * round)]);
            }
            text[n++] = (x >> 20) % 9 == 0 ? '7' : ' ';
        }
        text[n] = '\0';
        /* a fingerprint: every third possible n-gram of the alphabet's pairs */
        size_t m = 0, lines = 0;
        for (int a = 0; a < 16 && lines < 400; a++)
            for (int b = 0; b < 16 && lines < 400; b++) {
                if ((a * 16 + b + round) % 3)
                    continue;
                m += (size_t)snprintf(lm_text + m, sizeof lm_text - m, "%c%c\n", "etaoinshrdlucmfw"[a],
                                      "etaoinshrdlucmfw"[b]);
                lines++;
                if (lines % 7 == 0)
                    m += (size_t)snprintf(lm_text + m, sizeof lm_text - m, "_%c\n", "etaoinshrdlucmfw"[a]), lines++;
            }
        NgramLm *lm = ngram_lm_new();
        CHECK(ngram_lm_add(lm, "r", lm_text, m) == 0);
        const char *codes[2];
        long score = -1;
        ngram_lm_classify(lm, text, n, codes, 2, &score);
        CHECK_INT(score, ref_ngram_distance(text, lm_text));
        ngram_lm_free(lm);
    }
}

/* A best distance under 34 (here 0: the fingerprint is the profile
 * itself) is still a candidate: 103% of it must not round down to it. */
static void test_ngram_lm_small_best_distance(void)
{
    NgramLm *lm = ngram_lm_new();
    const char *z = "_\n_a\n_ab\n_ab_\na\nab\nab_\nb\nb_\n";
    CHECK(ngram_lm_add(lm, "z", z, strlen(z)) == 0);
    CHECK(ngram_lm_add(lm, "y", "b_\n", 3) == 0);
    const char *codes[4];
    long scores[2];
    CHECK(ngram_lm_classify(lm, "ab", 2, codes, 4, scores) == 1);
    CHECK_STR(codes[0], "z");
    CHECK(scores[0] == 0);
    ngram_lm_free(lm);
}

static void test_ngram_lm_file_lines(void)
{
    /* a field longer than 20 bytes is skipped without taking a rank; an
     * empty line takes one; a repeated n-gram keeps its first rank */
    NgramLm *lm = ngram_lm_new();
    const char *lm_text = "abcdefghijklmnopqrstuvwxyz 3\n\n  _a\t7\n_a\n_\r\n";
    CHECK(ngram_lm_add(lm, "x", lm_text, strlen(lm_text)) == 0);
    const char *codes[2];
    long score;
    ngram_lm_classify(lm, "a", 1, codes, 2, &score);
    /* text "_a_": _ (twice) rank 0, _a 1, _a_ 2, a 3, a_ 4; in the file
     * the empty line is rank 0, _a 1 (its repeat 2), _ 3 */
    CHECK(score == 3 + 0 + 3 * 400);
    ngram_lm_free(lm);
}

static void test_ngram_lm_counts_utf8_characters(void)
{
    NgramLm *lm = ngram_lm_new();
    CHECK(ngram_lm_add(lm, "x", "\xC3\xA9\n", 3) == 0); /* é, one character */
    const char *codes[2];
    long score;
    /* "_éé_": _ and é twice (ranks 0, 1), six others once */
    ngram_lm_classify(lm, "\xC3\xA9\xC3\xA9", 4, codes, 2, &score);
    CHECK(score == 1 + 7 * 400);
    ngram_lm_free(lm);
}

static void test_ngram_lm_near_ties_and_unsure(void)
{
    NgramLm *lm = ngram_lm_new();
    const char *names[] = {"a", "b", "c", "d", "e", "f"};
    for (int i = 0; i < 5; i++)
        ngram_lm_add(lm, names[i], "_\n", 2);
    const char *codes[8];
    /* five equal languages: all candidates, in the order added */
    CHECK(ngram_lm_classify(lm, "word", 4, codes, 8, NULL) == 5);
    CHECK_STR(codes[0], "a");
    CHECK_STR(codes[4], "e");
    CHECK(ngram_lm_classify(lm, "word", 4, codes, 2, NULL) == 2);
    /* a sixth: too many within 3% of the best, so unsure */
    ngram_lm_add(lm, names[5], "_\n", 2);
    CHECK(ngram_lm_classify(lm, "word", 4, codes, 8, NULL) == 0);
    ngram_lm_free(lm);
}

static void test_ngram_lm_bad_input(void)
{
    NgramLm *lm = ngram_lm_new();
    const char *codes[4];
    CHECK(ngram_lm_classify(lm, "text", 4, codes, 4, NULL) == 0); /* no languages */
    CHECK(ngram_lm_add_file(lm, "x", "/nonexistent/xx.lm") == -1);
    char junk[600];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)(i * 37 + 11);
    CHECK(ngram_lm_add(lm, "x", junk, sizeof junk) == 0);
    CHECK(ngram_lm_add(lm, "y", "", 0) == 0);
    size_t r = ngram_lm_classify(lm, junk, sizeof junk, codes, 4, NULL);
    CHECK(r <= 2);
    CHECK(ngram_lm_classify(lm, "", 0, codes, 4, NULL) == 0);
    CHECK(ngram_lm_classify(lm, "\x80\x80\x80\xff", 4, codes, 4, NULL) <= 2);
    for (int i = 2; i < NGRAM_LM_MAX_LANGS; i++)
        CHECK(ngram_lm_add(lm, "z", "_\n", 2) == 0);
    CHECK(ngram_lm_add(lm, "full", "_\n", 2) == -1);
    ngram_lm_free(lm);
    ngram_lm_free(NULL);
}

int main(void)
{
    RUN(test_clean_collapses_spaces_and_blank_lines);
    RUN(test_wide_paths_match_bytewise);
    RUN(test_clean_replaces_invalid_bytes_and_drops_controls);
    RUN(test_clean_turns_unicode_spaces_into_spaces);
    RUN(test_clean_normalises_to_nfc);
    RUN(test_clean_strips_trailing_spaces_on_each_line);
    RUN(test_clean_line_joins_lines);
    RUN(test_clean_empty_and_blank_input);
    RUN(test_clean_reads_only_n_bytes);
    RUN(test_clean_fast_and_slow_paths_agree);
    RUN(test_fold_removes_case_and_diacritics);
    RUN(test_fold_keeps_cyrillic_short_i_and_yi);
    RUN(test_fold_empty_and_invalid);
    RUN(test_properties);

    RUN(test_tokenize_words_numbers_punct);
    RUN(test_tokenize_curly_apostrophe_and_quotes);
    RUN(test_tokenize_hyphens_and_mixed);
    RUN(test_tokenize_trailing_and_leading_joiners);
    RUN(test_tokenize_flags);
    RUN(test_tokenize_cyrillic_and_invalid_bytes);
    RUN(test_tokenize_unspaced_scripts);
    RUN(test_tokenize_empty_and_bounded);

    RUN(test_sentence_basic);
    RUN(test_sentence_titles_never_split);
    RUN(test_sentence_initials);
    RUN(test_sentence_initial_before_starter_splits);
    RUN(test_sentence_decimals_and_numbers);
    RUN(test_sentence_dotted_acronym_before_starter);
    RUN(test_sentence_dotted_acronym_before_name);
    RUN(test_sentence_latin_abbreviations);
    RUN(test_sentence_etc_before_capital_splits);
    RUN(test_sentence_company_and_month);
    RUN(test_sentence_times);
    RUN(test_sentence_ellipsis);
    RUN(test_sentence_closing_quotes);
    RUN(test_sentence_question_in_quotes_then_lowercase);
    RUN(test_sentence_question_exclamation_runs);
    RUN(test_sentence_brackets);
    RUN(test_sentence_starts_with_opening_quote);
    RUN(test_sentence_paragraphs);
    RUN(test_sentence_heading_line);
    RUN(test_sentence_wrapped_line_joins);
    RUN(test_sentence_list_items);
    RUN(test_sentence_spans_exclude_whitespace);
    RUN(test_sentence_list_markers_stay_with_their_item);
    RUN(test_sentence_crlf);
    RUN(test_sentence_german);
    RUN(test_sentence_french);
    RUN(test_sentence_spanish_italian_dutch);
    RUN(test_sentence_russian);
    RUN(test_sentence_cyrillic_initials_and_abbreviations);
    RUN(test_sentence_cjk);
    RUN(test_sentence_no_space_after_period_does_not_split);
    RUN(test_sentence_empty_and_bounded);
    RUN(test_sentence_example_page_paragraph);

    RUN(test_stopwords_lists_sorted_and_folded);
    RUN(test_stopwords_lookup);
    RUN(test_stopwords_langs_agree_with_is);
    RUN(test_stopwords_ascii_lookup_agrees);
    RUN(test_word_hash_every_length);
    RUN(test_stopwords_count);

    RUN(test_stem_languages);
    RUN(test_stem_ukrainian_is_identity);
    RUN(test_stem_edge_cases);

    RUN(test_langid_paragraphs);
    RUN(test_langid_short_titles);
    RUN(test_langid_unsure_is_und);
    RUN(test_langid_scripts);
    RUN(test_langid_reads_only_n_and_shuts_down);
    RUN(test_ngram_lm_distance_by_hand);
    RUN(test_ngram_lm_matches_reference_at_the_cut);
    RUN(test_ngram_lm_small_best_distance);
    RUN(test_ngram_lm_file_lines);
    RUN(test_ngram_lm_counts_utf8_characters);
    RUN(test_ngram_lm_near_ties_and_unsure);
    RUN(test_ngram_lm_bad_input);

    RUN(test_random_input_is_safe_and_spans_are_ordered);

    langid_shutdown();
    arena_free(&arena);
    return test_summary("text");
}
