/* xml_api.h - libxml2, loaded on first use (see core/lazylib.h).
 * Include this instead of the library's header: every call below goes
 * through sw_xml_sym(), which loads the library the first time. */
#ifndef SW_XML_API_H
#define SW_XML_API_H

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlreader.h>

#define SW_XML_SYMBOLS(X) \
    X(htmlCreateMemoryParserCtxt) \
    X(htmlCtxtUseOptions) \
    X(htmlEntityLookup) \
    X(htmlFreeParserCtxt) \
    X(htmlParseDocument) \
    X(xmlBuildURI) \
    X(xmlFreeTextReader) \
    X(xmlReaderForFile) \
    X(xmlStopParser) \
    X(xmlSwitchEncoding) \
    X(xmlTextReaderConstLocalName) \
    X(xmlTextReaderConstValue) \
    X(xmlTextReaderDepth) \
    X(xmlTextReaderNodeType) \
    X(xmlTextReaderRead) \
    X(xmlTextReaderReadString) \
    X(xmlFree)

enum {
#define SW_ENUM_(s) SWL_##s,
    SW_XML_SYMBOLS(SW_ENUM_)
#undef SW_ENUM_
    SWL_XML_COUNT
};

/* The address of symbol i (SWL_name), the library loaded if need be. */
void *sw_xml_sym(int i);

#ifndef SW_XML_API_IMPL
#define htmlCreateMemoryParserCtxt ((__typeof__(&htmlCreateMemoryParserCtxt))sw_xml_sym(SWL_htmlCreateMemoryParserCtxt))
#define htmlCtxtUseOptions ((__typeof__(&htmlCtxtUseOptions))sw_xml_sym(SWL_htmlCtxtUseOptions))
#define htmlEntityLookup ((__typeof__(&htmlEntityLookup))sw_xml_sym(SWL_htmlEntityLookup))
#define htmlFreeParserCtxt ((__typeof__(&htmlFreeParserCtxt))sw_xml_sym(SWL_htmlFreeParserCtxt))
#define htmlParseDocument ((__typeof__(&htmlParseDocument))sw_xml_sym(SWL_htmlParseDocument))
#define xmlBuildURI ((__typeof__(&xmlBuildURI))sw_xml_sym(SWL_xmlBuildURI))
#define xmlFreeTextReader ((__typeof__(&xmlFreeTextReader))sw_xml_sym(SWL_xmlFreeTextReader))
#define xmlReaderForFile ((__typeof__(&xmlReaderForFile))sw_xml_sym(SWL_xmlReaderForFile))
#define xmlStopParser ((__typeof__(&xmlStopParser))sw_xml_sym(SWL_xmlStopParser))
#define xmlSwitchEncoding ((__typeof__(&xmlSwitchEncoding))sw_xml_sym(SWL_xmlSwitchEncoding))
#define xmlTextReaderConstLocalName ((__typeof__(&xmlTextReaderConstLocalName))sw_xml_sym(SWL_xmlTextReaderConstLocalName))
#define xmlTextReaderConstValue ((__typeof__(&xmlTextReaderConstValue))sw_xml_sym(SWL_xmlTextReaderConstValue))
#define xmlTextReaderDepth ((__typeof__(&xmlTextReaderDepth))sw_xml_sym(SWL_xmlTextReaderDepth))
#define xmlTextReaderNodeType ((__typeof__(&xmlTextReaderNodeType))sw_xml_sym(SWL_xmlTextReaderNodeType))
#define xmlTextReaderRead ((__typeof__(&xmlTextReaderRead))sw_xml_sym(SWL_xmlTextReaderRead))
#define xmlTextReaderReadString ((__typeof__(&xmlTextReaderReadString))sw_xml_sym(SWL_xmlTextReaderReadString))
#define xmlFree (*(__typeof__(&xmlFree))sw_xml_sym(SWL_xmlFree))
#endif

#endif
