/*
 * xml: text into XML and HTML documents (JUnit files, drill reports).
 *
 * Must not: know any document's structure.
 */
#ifndef ARSEMU_XML_H
#define ARSEMU_XML_H

#include <stdio.h>

/*
 * s as XML character data or an attribute value: the five entities
 * escaped; a control character XML 1.0 cannot carry (all below 0x20 but
 * tab and newline) becomes '?'.
 */
void	xml_puts(FILE *f, const char *s);

#endif
