/*
 * A fixture for test/asserts.awk (test/rules.sh checks its output against
 * asserts.out): which rule ids count as asserted. Not compiled.
 * RS-01 in a comment asserts nothing.
 */
static void
expect(const char *doc, const char *what)
{
	T_OK(load(doc) != NULL, "%s", what);
}

static void
not_a_helper(const char *doc, int n)
{
	T_EQ(count(doc), n, "a fixed message");
}

int
main(void)
{
	T_OK(1 == 1, "RS-02: the message names it");
	T_EQ(f("RS-03"), 0, "an id in the condition does not count");
	T_EQ(a, b,
	    "a message over two lines, then the id: "
	    "GW-05");
	T_OK(strcmp(x, "(")== 0, "a parenthesis in a string, then VR-01 %d", 1);
	expect("{'id':'RS-04'}", "PE-06: the helper's message counts");
	not_a_helper("RS-05", 1);	/* RS-06 */
	// RS-07 in a line comment
	T_OK(1, "XRS-08, RS-099, RS-5 are no ids; D-12 is");
	return t_done();
}
