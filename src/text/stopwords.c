/* stopwords.c - function words of the languages storywire handles.
 *
 * Each list is a static array in folded form (text_fold: lower case, no
 * diacritics; Cyrillic й and ї kept), sorted by bytes so that it reads
 * well and duplicates show; the unit test checks that every entry is its
 * own fold and that each list is strictly sorted: keep both true when
 * editing. Lookups go through one hash index over all lists, built on
 * first use. Deliberately absent: reporting verbs ("said",
 * "says", Dutch "zei"), which are weighted elsewhere, and number words
 * other than "one", which carry news content ("two killed"). */
#include "stopwords.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/utf8util.h"
#include "ascii_run.h"
#include "unicode.h"
#include "wordhash.h"

static const char *const en_words[] = {
    "a", "about", "above", "across", "after", "afterwards", "again", "against", "ago", "all",
    "almost", "alone", "along", "already", "also", "although", "always", "am", "among", "amongst",
    "an", "and", "another", "any", "anybody", "anyone", "anything", "anyway", "anywhere", "are",
    "aren't", "around", "as", "at", "back", "be", "became", "because", "become", "becomes", "been",
    "before", "beforehand", "behind", "being", "below", "beside", "besides", "between", "beyond",
    "both", "but", "by", "can", "can't", "cannot", "could", "couldn't", "did", "didn't", "do",
    "does", "doesn't", "doing", "don't", "done", "down", "during", "each", "either", "else",
    "elsewhere", "enough", "etc", "even", "ever", "every", "everybody", "everyone", "everything",
    "everywhere", "few", "for", "former", "formerly", "from", "further", "had", "hadn't", "has",
    "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's", "hence", "her", "here",
    "hers", "herself", "him", "himself", "his", "how", "however", "i", "i'd", "i'll", "i'm", "i've",
    "if", "in", "indeed", "into", "is", "isn't", "it", "it's", "its", "itself", "just", "last",
    "latter", "least", "less", "let", "like", "many", "may", "maybe", "me", "meanwhile", "might",
    "mine", "more", "moreover", "most", "mostly", "much", "must", "my", "myself", "neither",
    "never", "nevertheless", "next", "no", "nobody", "none", "nor", "not", "nothing", "now",
    "nowhere", "of", "off", "often", "on", "once", "one", "only", "onto", "or", "other", "others",
    "otherwise", "ought", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps",
    "quite", "rather", "really", "same", "several", "shall", "she", "she'd", "she'll", "she's",
    "should", "shouldn't", "since", "so", "some", "somebody", "somehow", "someone", "something",
    "sometimes", "somewhere", "still", "such", "than", "that", "that's", "the", "their", "theirs",
    "them", "themselves", "then", "there", "there's", "thereby", "therefore", "these", "they",
    "they'd", "they'll", "they're", "they've", "this", "those", "though", "through", "throughout",
    "thus", "to", "together", "too", "toward", "towards", "under", "unless", "until", "up", "upon",
    "us", "very", "via", "was", "wasn't", "we", "we'd", "we'll", "we're", "we've", "well", "were",
    "weren't", "what", "what's", "whatever", "when", "whenever", "where", "whereas", "wherever",
    "whether", "which", "while", "who", "who's", "whoever", "whole", "whom", "whose", "why", "will",
    "with", "within", "without", "won't", "would", "wouldn't", "yet", "you", "you'd", "you'll",
    "you're", "you've", "your", "yours", "yourself", "yourselves",
};
static const char *const de_words[] = {
    "aber", "alle", "allem", "allen", "aller", "alles", "als", "also", "am", "an", "ander",
    "andere", "anderem", "anderen", "anderer", "anderes", "andern", "anders", "auch", "auf", "aus",
    "bei", "beide", "beiden", "beim", "bereits", "bin", "bis", "bisher", "bist", "bzw", "da",
    "dabei", "dadurch", "dafur", "dagegen", "daher", "damals", "damit", "danach", "dann", "daran",
    "darauf", "darin", "daruber", "darum", "das", "dass", "davon", "davor", "dazu", "dein", "deine",
    "deinem", "deinen", "deiner", "dem", "den", "denen", "denn", "dennoch", "der", "deren",
    "derzeit", "des", "deshalb", "dessen", "dich", "die", "dies", "diese", "diesem", "diesen",
    "dieser", "dieses", "dir", "doch", "dort", "du", "durch", "ebenfalls", "eher", "ein", "eine",
    "einem", "einen", "einer", "eines", "einige", "einigen", "einiger", "einiges", "einmal", "er",
    "es", "etwa", "etwas", "euch", "euer", "eure", "fur", "gab", "gegen", "gewesen", "gibt", "hab",
    "habe", "haben", "hat", "hatte", "hatten", "heute", "hier", "hin", "hinter", "ich", "ihm",
    "ihn", "ihnen", "ihr", "ihre", "ihrem", "ihren", "ihrer", "ihres", "im", "immer", "in", "indem",
    "ins", "ist", "ja", "jede", "jedem", "jeden", "jeder", "jedes", "jedoch", "jene", "jenem",
    "jenen", "jener", "jenes", "jetzt", "kann", "kein", "keine", "keinem", "keinen", "keiner",
    "keines", "konnen", "konnte", "man", "manche", "manchem", "manchen", "mancher", "manches",
    "mehr", "mein", "meine", "meinem", "meinen", "meiner", "meines", "mich", "mir", "mit", "muss",
    "mussen", "musste", "nach", "nachdem", "neben", "nicht", "nichts", "noch", "nun", "nur", "ob",
    "obwohl", "oder", "ohne", "rund", "schon", "sehr", "sei", "sein", "seine", "seinem", "seinen",
    "seiner", "seines", "seit", "seitdem", "selbst", "sich", "sie", "sind", "so", "solche",
    "solchem", "solchen", "solcher", "soll", "sollen", "sollte", "sondern", "sonst", "sowie",
    "spater", "statt", "uber", "um", "und", "uns", "unser", "unsere", "unter", "viel", "viele",
    "vom", "von", "vor", "wahrend", "war", "waren", "warum", "was", "weil", "weiter", "welche",
    "welchem", "welchen", "welcher", "welches", "wenn", "wer", "werde", "werden", "wie", "wieder",
    "will", "wir", "wird", "wo", "wollen", "wollte", "worden", "wurde", "wurden", "zu", "zudem",
    "zum", "zur", "zwar", "zwischen",
};
static const char *const es_words[] = {
    "a", "al", "algo", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "aquel",
    "aquella", "aquellas", "aquellos", "aqui", "asi", "aun", "aunque", "bajo", "bien", "cada",
    "casi", "como", "con", "contra", "cual", "cuales", "cuando", "cuanto", "de", "del", "desde",
    "donde", "dos", "durante", "e", "el", "ella", "ellas", "ello", "ellos", "en", "entre", "era",
    "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estaba", "estaban", "estan",
    "estar", "estas", "este", "esto", "estos", "fue", "fueron", "ha", "habia", "habian", "han",
    "hasta", "hay", "la", "las", "le", "les", "lo", "los", "mas", "me", "mi", "mientras", "mis",
    "mucho", "muchos", "muy", "nada", "ni", "no", "nos", "nosotros", "o", "os", "otra", "otras",
    "otro", "otros", "para", "pero", "poco", "por", "porque", "pues", "que", "quien", "quienes",
    "se", "sea", "segun", "ser", "si", "sido", "siempre", "sin", "sino", "sobre", "son", "su",
    "sus", "tambien", "tan", "tanto", "te", "tiene", "tienen", "toda", "todas", "todo", "todos",
    "tras", "tu", "tus", "un", "una", "unas", "uno", "unos", "usted", "ustedes", "ya", "yo",
};
static const char *const fr_words[] = {
    "a", "afin", "ai", "ainsi", "alors", "apres", "au", "aucun", "aucune", "aujourd", "aupres",
    "aussi", "autre", "autres", "aux", "avaient", "avait", "avant", "avec", "avoir", "c", "ca",
    "car", "ce", "ceci", "cela", "celle", "celles", "celui", "cependant", "ces", "cet", "cette",
    "ceux", "chaque", "chez", "comme", "comment", "contre", "d", "dans", "de", "deja", "depuis",
    "des", "deux", "doit", "donc", "dont", "du", "elle", "elles", "en", "encore", "entre", "est",
    "et", "etaient", "etait", "ete", "etre", "eu", "eux", "faire", "fait", "fois", "hors", "il",
    "ils", "j", "je", "jusqu", "jusque", "l", "la", "le", "lequel", "les", "leur", "leurs", "lors",
    "lorsque", "lui", "m", "ma", "mais", "me", "meme", "memes", "mes", "moi", "moins", "mon", "n",
    "ne", "ni", "nos", "notre", "nous", "on", "ont", "ou", "par", "parce", "parmi", "pas",
    "pendant", "peu", "peut", "plus", "plusieurs", "pour", "pourquoi", "qu", "quand", "que", "quel",
    "quelle", "quelles", "quels", "qui", "quoi", "s", "sa", "sans", "se", "selon", "ses", "si",
    "sien", "son", "sont", "sous", "sur", "t", "ta", "tandis", "te", "tes", "toi", "ton",
    "toujours", "tous", "tout", "toute", "toutes", "tres", "tu", "un", "une", "vers", "voici",
    "voila", "vos", "votre", "vous", "y",
};
static const char *const it_words[] = {
    "a", "ad", "agli", "ai", "al", "all", "alla", "alle", "allo", "anche", "ancora", "avere",
    "aveva", "avevano", "c", "che", "chi", "ci", "come", "con", "contro", "cosa", "cui", "da",
    "dagli", "dai", "dal", "dall", "dalla", "dalle", "dallo", "degli", "dei", "del", "dell",
    "della", "delle", "dello", "dentro", "di", "dopo", "dove", "due", "e", "ed", "era", "erano",
    "essere", "essi", "fa", "fino", "fra", "gli", "ha", "hanno", "ho", "i", "il", "in", "io", "l",
    "la", "le", "lei", "lo", "loro", "lui", "ma", "me", "mentre", "mi", "mia", "mio", "molto", "ne",
    "negli", "nei", "nel", "nell", "nella", "nelle", "nello", "noi", "non", "nostra", "nostro", "o",
    "oggi", "ogni", "per", "perche", "pero", "piu", "poi", "proprio", "qual", "quale", "quali",
    "quando", "quanto", "quell", "quella", "quelle", "quelli", "quello", "quest", "questa",
    "queste", "questi", "questo", "se", "secondo", "senza", "si", "sia", "siamo", "sono", "sta",
    "stata", "stati", "stato", "su", "sua", "sue", "sui", "sul", "sull", "sulla", "sulle", "suo",
    "suoi", "tra", "tu", "tutta", "tutte", "tutti", "tutto", "un", "una", "uno", "vi", "voi",
};
static const char *const pt_words[] = {
    "a", "ainda", "ao", "aos", "apenas", "apos", "as", "assim", "ate", "cada", "com", "como",
    "contra", "da", "das", "de", "dela", "dele", "deles", "depois", "desde", "do", "dos", "e",
    "ela", "elas", "ele", "eles", "em", "entre", "era", "eram", "essa", "essas", "esse", "esses",
    "esta", "estao", "estava", "este", "estes", "eu", "foi", "foram", "ha", "isso", "isto", "ja",
    "la", "lhe", "lhes", "mais", "mas", "me", "mesma", "mesmo", "meu", "minha", "muita", "muitas",
    "muito", "muitos", "na", "nao", "nas", "nem", "no", "nos", "nossa", "nosso", "num", "numa", "o",
    "onde", "os", "ou", "outra", "outras", "outro", "outros", "para", "pela", "pelas", "pelo",
    "pelos", "pode", "pois", "por", "porem", "porque", "quais", "qual", "quando", "quanto", "que",
    "quem", "se", "segundo", "seja", "sejam", "sem", "sempre", "ser", "seu", "seus", "sido", "so",
    "sobre", "sua", "suas", "tambem", "tanto", "tao", "tem", "ter", "teve", "toda", "todas", "todo",
    "todos", "tu", "tudo", "um", "uma", "umas", "uns", "vai", "vez", "voce", "voces", "vos",
};
static const char *const nl_words[] = {
    "aan", "al", "alle", "alleen", "als", "altijd", "andere", "ben", "bent", "bij", "daar", "dan",
    "dat", "de", "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en",
    "er", "ge", "geen", "geweest", "haar", "had", "heb", "hebben", "hebt", "heeft", "hem", "hen",
    "het", "hier", "hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "jij",
    "jullie", "kan", "kon", "kunnen", "later", "maar", "me", "meer", "men", "met", "mij", "mijn",
    "moet", "na", "naar", "nadat", "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder",
    "ons", "ook", "op", "over", "reeds", "te", "tegen", "tijdens", "toch", "toen", "tot", "tussen",
    "u", "uit", "uw", "van", "vanaf", "vanuit", "veel", "voor", "waar", "waarom", "wanneer", "want",
    "waren", "was", "wat", "we", "wel", "welke", "werd", "werden", "wezen", "wie", "wij", "wil",
    "worden", "wordt", "zal", "ze", "zeer", "zelf", "zich", "zij", "zijn", "zo", "zoals", "zonder",
    "zou", "zouden", "zullen",
};
static const char *const ru_words[] = {
    "а", "без", "более", "будет", "будут", "бы", "был", "была", "были", "было", "быть", "в", "вам",
    "вас", "ваш", "весь", "во", "вот", "все", "всего", "всех", "вы", "где", "да", "даже", "для",
    "до", "его", "ее", "ей", "ему", "если", "есть", "еще", "же", "за", "здесь", "и", "из", "или",
    "им", "ими", "их", "к", "как", "какой", "когда", "которая", "которого", "которой", "котором",
    "которые", "который", "которых", "кто", "ли", "либо", "между", "мне", "мной", "может", "мой",
    "мы", "на", "над", "надо", "нам", "нас", "наш", "не", "него", "нее", "ней", "нем", "нему",
    "нет", "ни", "ним", "них", "но", "ну", "о", "об", "однако", "он", "она", "они", "оно", "от",
    "очень", "по", "под", "после", "потому", "при", "про", "с", "сам", "своей", "своих", "свой",
    "себя", "сейчас", "со", "так", "также", "такой", "там", "те", "тем", "теперь", "то", "того",
    "тоже", "той", "только", "том", "тот", "тут", "ты", "у", "уже", "хотя", "чего", "чем", "через",
    "что", "чтобы", "эта", "эти", "этим", "этих", "это", "этого", "этой", "этом", "этот", "я",
};
static const char *const uk_words[] = {
    "а", "або", "адже", "але", "б", "без", "би", "був", "була", "були", "було", "бути", "в", "вам",
    "вас", "ваш", "весь", "вже", "ви", "вона", "вони", "воно", "все", "всі", "втім", "від", "він",
    "де", "для", "до", "дуже", "же", "з", "за", "зі", "й", "його", "йому", "коли", "котрий", "лише",
    "мають", "має", "мене", "мені", "ми", "може", "можуть", "між", "на", "навіть", "над", "нам",
    "нас", "наш", "не", "нею", "неї", "ним", "них", "ну", "нього", "ні", "о", "об", "однак", "по",
    "при", "про", "проти", "під", "після", "сам", "сама", "саме", "своє", "своєї", "свої", "своїх",
    "свій", "себе", "також", "там", "те", "тепер", "ти", "то", "тобто", "того", "тоді", "тому",
    "треба", "тут", "тільки", "у", "усі", "хоча", "хто", "це", "цей", "цим", "цих", "цього",
    "цьому", "цю", "ця", "ці", "цієї", "через", "чи", "ще", "що", "щоб", "щодо", "як", "яка",
    "який", "яким", "яких", "якого", "якої", "яку", "якщо", "які", "якій", "є", "і", "із", "їй",
    "їх", "її",
};

typedef struct StopList {
    const char *lang;
    const char *const *words;
    size_t n;
} StopList;

#define LIST(code) {#code, code##_words, sizeof code##_words / sizeof code##_words[0]}
static const StopList lists[] = {
    LIST(en), LIST(de), LIST(es), LIST(fr), LIST(it), LIST(pt), LIST(nl), LIST(ru), LIST(uk),
};
#undef LIST

const char *const stopword_languages[] = {"en", "de", "es", "fr", "it", "pt", "nl", "ru", "uk", NULL};

/* "pt-BR", "EN", "de_AT" all find their list; anything else is English. */
static const StopList *list_for(const char *lang)
{
    if (lang && lang[0] && lang[1] && (lang[2] == '\0' || lang[2] == '-' || lang[2] == '_')) {
        char code[3] = {(char)(lang[0] | 32), (char)(lang[1] | 32), 0};
        for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
            if (strcmp(lists[i].lang, code) == 0)
                return &lists[i];
    }
    return &lists[0];
}

/* The lookup index: every word of every list in one open-addressing hash
 * table, each slot holding the set of languages (bit i = lists[i]) that
 * list the word. Built once on first use from the tables above. A slot
 * holds its word inline (zero-padded), and a 16-bit tag of its hash sits
 * in a separate, small array (8 KB) that a probe reads first: a word that
 * is not listed (most words) is told apart there, without touching the
 * slots, and a listed one is compared whole in one slot. The hash is
 * text_word_hash (wordhash.h), the one an_tokenize computes for each word
 * anyway and passes in (stopword_langs_ascii): no byte loop, no memcmp,
 * no pointer to follow, and the key is built only on a tag match. */
#define N_LISTS (sizeof lists / sizeof lists[0])
#define INDEX_BITS 12
#define INDEX_SLOTS (1u << INDEX_BITS) /* a power of two, about three times the distinct words */
#define KEY_BYTES 24                   /* longer than any listed word (the unit test checks) */
#define MAX_WORD 40

typedef struct Slot {
    uint64_t key[KEY_BYTES / 8]; /* the word, zero-padded */
    uint32_t len;                /* 0: empty */
    uint32_t langs;
} Slot;

static _Alignas(64) uint16_t tags[INDEX_SLOTS]; /* 0: empty, else the word's hash_tag */
static _Alignas(64) Slot slots[INDEX_SLOTS];
static pthread_once_t index_once = PTHREAD_ONCE_INIT;
static atomic_int index_built;

static void make_key(const char *w, size_t n, uint64_t *k);

/* A word's hash (text_word_hash): its top INDEX_BITS bits are the first
 * slot probed, the next 16 the tag (never 0). */
static uint32_t hash_slot(uint64_t h)
{
    return (uint32_t)(h >> (64 - INDEX_BITS));
}

static uint16_t hash_tag(uint64_t h)
{
    return (uint16_t)((h >> (48 - INDEX_BITS)) | 1);
}

static void index_build(void)
{
    for (size_t l = 0; l < N_LISTS; l++) {
        for (size_t i = 0; i < lists[l].n; i++) {
            const char *w = lists[l].words[i];
            size_t n = strlen(w);
            if (n == 0 || n > KEY_BYTES)
                continue; /* cannot be looked up (the unit test rules it out) */
            uint64_t k[KEY_BYTES / 8];
            make_key(w, n, k);
            uint64_t hash = text_word_hash(w, n);
            uint32_t h = hash_slot(hash);
            while (slots[h].len && !(slots[h].len == n && memcmp(slots[h].key, k, sizeof k) == 0))
                h = (h + 1) & (INDEX_SLOTS - 1);
            tags[h] = hash_tag(hash);
            memcpy(slots[h].key, k, sizeof k);
            slots[h].len = (uint32_t)n;
            slots[h].langs |= 1u << l;
        }
    }
    atomic_store_explicit(&index_built, 1, memory_order_release);
}

/* Little-endian loads: byte i of the word is byte i of the key. */
static uint64_t load64(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
#else
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | (unsigned char)p[i];
    return v;
#endif
}

static uint64_t load32(const char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
#else
    return (uint64_t)(unsigned char)p[0] | (uint64_t)(unsigned char)p[1] << 8 |
           (uint64_t)(unsigned char)p[2] << 16 | (uint64_t)(unsigned char)p[3] << 24;
#endif
}

/* The n bytes at w (1 <= n <= KEY_BYTES) as a zero-padded key, read with
 * a few loads that stay inside the word (the last ones overlap). */
static void make_key(const char *w, size_t n, uint64_t *k)
{
    k[1] = k[2] = 0;
    if (n < 4) {
        k[0] = (uint64_t)(unsigned char)w[0] | (uint64_t)(unsigned char)w[n / 2] << (8 * (n / 2)) |
               (uint64_t)(unsigned char)w[n - 1] << (8 * (n - 1));
    } else if (n < 8) {
        k[0] = load32(w) | load32(w + n - 4) << (8 * (n - 4));
    } else {
        k[0] = load64(w);
        if (n > 16) {
            k[1] = load64(w + 8);
            k[2] = load64(w + n - 8) >> (8 * (24 - n));
        } else if (n > 8) {
            k[1] = load64(w + n - 8) >> (8 * (16 - n));
        }
    }
}

/* The languages listing word w (m bytes, 1 to KEY_BYTES, as listed: '
 * for U+2019) whose text_word_hash is hash. */
static inline __attribute__((always_inline)) uint32_t index_find(const char *w, size_t m, uint64_t hash)
{
    if (!atomic_load_explicit(&index_built, memory_order_acquire))
        pthread_once(&index_once, index_build);
    uint16_t tag = hash_tag(hash);
    uint64_t k[KEY_BYTES / 8];
    int have_key = 0;
    for (uint32_t h = hash_slot(hash);; h = (h + 1) & (INDEX_SLOTS - 1)) {
        uint16_t t = tags[h];
        if (!t)
            return 0;
        const Slot *s = &slots[h];
        if (t != tag || s->len != m)
            continue;
        if (!have_key) {
            make_key(w, m, k);
            have_key = 1;
        }
        if (s->key[0] == k[0] && s->key[1] == k[1] && s->key[2] == k[2])
            return s->langs;
    }
}

/* The languages listing the folded word (U+2019 read as '). */
static uint32_t word_langs(const char *folded, size_t n)
{
    if (n == 0 || n > MAX_WORD)
        return 0;
    size_t i = 0;
    while (i < n && (unsigned char)folded[i] < 0x80)
        i++;
    if (i == n) /* ASCII: as it is */
        return n <= KEY_BYTES ? index_find(folded, n, text_word_hash(folded, n)) : 0;
    /* not ASCII: the word as listed has ' for each U+2019 */
    char word[MAX_WORD];
    size_t m = 0;
    for (i = 0; i < n; i++) {
        char c = folded[i];
        if (c == '\xE2' && i + 2 < n && memcmp(folded + i, "\xE2\x80\x99", 3) == 0) {
            c = '\'';
            i += 2;
        }
        word[m++] = c;
    }
    if (m > KEY_BYTES)
        return 0;
    return index_find(word, m, text_word_hash(word, m));
}

int stopword_is(const char *lang, const char *folded, size_t n)
{
    if (!folded)
        return 0;
    return (word_langs(folded, n) >> (list_for(lang) - lists)) & 1;
}

unsigned stopword_lang_bit(const char *lang)
{
    return 1u << (list_for(lang) - lists);
}

unsigned stopword_langs(const char *folded, size_t n)
{
    return folded ? word_langs(folded, n) : 0;
}

unsigned stopword_langs_ascii(const char *folded, size_t n, uint64_t hash)
{
    return n && n <= KEY_BYTES ? index_find(folded, n, hash) : 0;
}

/* Inside a word, an apostrophe: ASCII or U+2019. Returns its length. */
static size_t apostrophe_at(const char *s, size_t n, size_t i)
{
    if (s[i] == '\'')
        return 1;
    if (i + 2 < n && memcmp(s + i, "\xE2\x80\x99", 3) == 0)
        return 3;
    return 0;
}

/* A word that is not a stop word as a whole may still start with an
 * elided one ("l'armee", "dell'anno", "aujourd'hui") or hold one after the
 * apostrophe ("qu'il"); pieces of one or two letters after it are English
 * clitics ("'s", "'t") and would only add noise. */
static uint32_t word_hits(const char *w, size_t n, int ascii)
{
    uint32_t langs = !ascii ? word_langs(w, n) : n <= KEY_BYTES ? index_find(w, n, text_word_hash(w, n)) : 0;
    if (langs)
        return langs;
    for (size_t i = 1; i < n; i++) {
        size_t al = apostrophe_at(w, n, i);
        if (!al)
            continue;
        langs = word_langs(w, i);
        size_t rest = n - i - al;
        if (rest > 2)
            langs |= word_langs(w + i + al, rest);
        return langs;
    }
    return 0;
}

void stopword_count_all(const char *folded, size_t n, size_t *counts)
{
    for (size_t l = 0; l < N_LISTS; l++)
        counts[l] = 0;
    size_t i = 0;
    while (i < n) {
        unsigned char b = (unsigned char)folded[i];
        if (b < 0x80 && (b | 32u) - 'a' >= 26u) { /* ASCII other than a letter */
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = utf8_decode(folded + i, n - i, &cp);
        if (!len) {
            i++;
            continue;
        }
        if (!text_is_letter(cp)) {
            i += len;
            continue;
        }
        size_t start = i;
        int ascii = b < 0x80; /* so far */
        i += len;
        while (i < n) {
            i = ascii_alnum_run16(folded, i, n); /* sixteen bytes at a time where it can */
            if (i >= n)
                break;
            b = (unsigned char)folded[i];
            if (b < 0x80 && b != '\'') { /* ASCII: a letter or digit goes on, anything else ends */
                if ((b | 32u) - 'a' < 26u || b - 0x30u < 10u) {
                    i++;
                    continue;
                }
                break;
            }
            if (b >= 0x80)
                ascii = 0; /* (also when the byte ends the word: the general lookup then gives the same answer) */
            size_t al = apostrophe_at(folded, n, i);
            uint32_t next;
            if (al) { /* inner apostrophe: only when a letter follows */
                size_t nl = utf8_decode(folded + i + al, n - i - al, &next);
                if (!nl || !text_is_letter(next))
                    break;
                i += al;
                continue;
            }
            size_t nl = utf8_decode(folded + i, n - i, &next);
            if (!nl || !(text_is_letter(next) || text_is_digit(next)))
                break;
            i += nl;
        }
        uint32_t langs = word_hits(folded + start, i - start, ascii);
        for (size_t l = 0; langs; l++, langs >>= 1)
            counts[l] += langs & 1;
    }
}

size_t stopword_count_folded(const char *lang, const char *folded, size_t n)
{
    size_t counts[N_LISTS];
    stopword_count_all(folded, n, counts);
    return counts[list_for(lang) - lists];
}

size_t stopword_count(const char *lang, const char *text, size_t n)
{
    if (!text || n == 0)
        return 0;
    Buf folded = {0};
    text_fold(&folded, text, n);
    size_t count = stopword_count_folded(lang, folded.data, folded.len);
    buf_free(&folded);
    return count;
}

/* For the unit test: the list of a language and its length. */
const char *const *stopword_list(const char *lang, size_t *n)
{
    const StopList *l = list_for(lang);
    *n = l->n;
    return l->words;
}
