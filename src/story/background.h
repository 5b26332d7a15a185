/* background.h - background lines for a story page: one line from the
 * knowledge base for each of the story's main people, places and
 * organisations, with its source named.
 *
 * The story's entities (as the analyser found them in each member) are
 * ranked by how many members mention them, then by mentions; the
 * countries among them set the context that decides between homonyms;
 * each is linked with kb_link (which refuses ambiguous names), so a name
 * the knowledge base cannot place gets no line rather than a wrong one.
 * Countries come after people, organisations and other places: a line
 * about Kyiv tells a reader more than a line about Ukraine. */
#ifndef SW_BACKGROUND_H
#define SW_BACKGROUND_H

#include <stddef.h>

#include "../core/arena.h"
#include "../kb/kb.h"
#include "writer.h"

/* Fills *out (arena) with up to max lines and returns their count; 0 when
 * in->kb is NULL or nothing links. */
size_t page_background(Arena *a, const WriterInput *in, size_t max, PageBackground **out);

#endif
