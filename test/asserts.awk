# asserts.awk: which rule ids the C unit tests assert. Reads test/unit/*.c,
# prints "FILE:LINE ID" for every rule id (docs/rules.md) that appears in the
# message of an assertion:
#  - a T_OK(cond, fmt, ...) or T_EQ(a, b, fmt, ...) call (test/unit/t.h): the
#    string literals of its message arguments (fmt and what follows it);
#  - a call to an assertion helper of the same file: a function defined there
#    (name at the start of a line) that hands one of its "char *" parameters
#    to a T_* call as a message argument; at its call sites, the string
#    literals passed for that parameter.
# Comments, conditions and other strings (a JSON document, a path) do not
# count: an id in them asserts nothing. Used by test/rules.sh and
# scripts/fidelity.sh; POSIX awk (mawk is enough).

# The text of src from i (just after an opening parenthesis) to the matching
# closing one, split at its top-level commas into A[1..NA]; AEND is the index
# of the closing parenthesis.
function args(i,    n, c, q, depth, start)
{
	n = length(cl)
	NA = 1; depth = 0; start = i
	for (; i <= n; i++) {
		c = substr(cl, i, 1)
		if (c == "\"" || c == "'") {
			q = c
			for (i++; i <= n && substr(cl, i, 1) != q; i++)
				if (substr(cl, i, 1) == "\\")
					i++
			continue
		}
		if (c == "(" || c == "[" || c == "{")
			depth++
		else if (c == ")" || c == "]" || c == "}") {
			if (depth == 0)
				break
			depth--
		} else if (c == "," && depth == 0) {
			A[NA++] = substr(cl, start, i - start)
			start = i + 1
		}
	}
	A[NA] = substr(cl, start, i - start)
	AEND = i
}

# The contents of the double-quoted string literals of s, joined by spaces.
function lits(s,    out, i, n, c, j)
{
	out = ""
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "'") {
			for (i++; i <= n && substr(s, i, 1) != "'"; i++)
				if (substr(s, i, 1) == "\\")
					i++
		} else if (c == "\"") {
			for (j = i + 1; j <= n && substr(s, j, 1) != "\""; j++)
				if (substr(s, j, 1) == "\\")
					j++
			out = out " " substr(s, i + 1, j - i - 1)
			i = j
		}
	}
	return out
}

# The identifiers of s outside its literals, as " a b c ".
function idents(s,    out, t)
{
	t = s
	gsub(/"([^"\\]|\\.)*"/, " ", t)
	gsub(/'([^'\\]|\\.)*'/, " ", t)
	gsub(/[^A-Za-z0-9_]+/, " ", t)
	return " " t " "
}

# The first message argument of the assertion call named name, or 0.
function msgarg(name)
{
	if (name == "T_OK")
		return 2
	if (name ~ /^T_[A-Z]+$/)
		return 3
	if (name in helper)
		return helper[name]
	return 0
}

# Line number of position p (positions asked for only grow within a file).
function lineof(p)
{
	for (; lpos < p; lpos++)
		if (substr(cl, lpos, 1) == "\n")
			lno++
	return lno
}

function ids(s, where,    id)
{
	while (match(s, /(RS|VR|CLI|GW|PE|U|D|LB|NS|NV)-[0-9][0-9]/)) {
		id = substr(s, RSTART, RLENGTH)
		if ((RSTART == 1 || substr(s, RSTART - 1, 1) !~ /[A-Za-z0-9_]/) &&
		    substr(s, RSTART + RLENGTH, 1) !~ /[A-Za-z0-9_]/)
			print where " " id
		s = substr(s, RSTART + RLENGTH)
	}
}

# Strip the comments of src into cl (same length, newlines kept).
function strip(    n, i, c, q, j, k, out, piece)
{
	n = length(src); out = ""; k = 1
	for (i = 1; i <= n; i++) {
		c = substr(src, i, 1)
		if (c == "\"" || c == "'") {
			q = c
			for (i++; i <= n && substr(src, i, 1) != q; i++)
				if (substr(src, i, 1) == "\\")
					i++
		} else if (c == "/" && substr(src, i + 1, 1) == "*") {
			j = index(substr(src, i + 2), "*/")
			j = j ? i + j + 2 : n		# the last character of "*/"
			piece = substr(src, i, j - i + 1)
			gsub(/[^\n]/, " ", piece)
			out = out substr(src, k, i - k) piece
			i = j; k = j + 1
		} else if (c == "/" && substr(src, i + 1, 1) == "/") {
			for (j = i; j <= n && substr(src, j, 1) != "\n"; j++)
				;
			piece = substr(src, i, j - i)
			gsub(/./, " ", piece)
			out = out substr(src, k, i - k) piece
			i = j - 1; k = j
		}
	}
	cl = out substr(src, k)
}

function scan(    rest, off, p, name, m, k, body, bstart, bend, depth, i, c, q, np, par, pi, ptype, txt)
{
	strip()
	split("", helper)
	# Assertion helpers: "\nname(params)\n{ body }" with a char * parameter
	# in a T_* call's message.
	rest = cl; off = 0
	while (match(rest, /\n[a-z_][a-z0-9_]*\(/)) {
		p = off + RSTART + 1
		name = substr(cl, p, RLENGTH - 2)
		off += RSTART + RLENGTH - 1; rest = substr(cl, off + 1)
		args(p + length(name) + 1)
		np = NA
		for (k = 1; k <= np; k++)
			par[k] = A[k]
		i = AEND + 1
		while (substr(cl, i, 1) ~ /[ \t\n]/)
			i++
		if (substr(cl, i, 1) != "{")
			continue
		bstart = i; depth = 0
		for (; i <= length(cl); i++) {
			c = substr(cl, i, 1)
			if (c == "\"" || c == "'") {
				q = c
				for (i++; substr(cl, i, 1) != q && i <= length(cl); i++)
					if (substr(cl, i, 1) == "\\")
						i++
			} else if (c == "{")
				depth++
			else if (c == "}" && --depth == 0)
				break
		}
		bend = i
		body = substr(cl, bstart, bend - bstart + 1)
		for (k = 1; k <= np; k++) {
			ptype = par[k]
			if (ptype !~ /char[ \t\n]*\*/)
				continue
			pi = ptype
			sub(/^.*[^A-Za-z0-9_]/, "", pi)
			txt = body
			while (match(txt, /T_[A-Z]+\(/)) {
				m = substr(txt, RSTART, RLENGTH - 1)
				# positions in cl of this call
				q = bstart + (length(body) - length(txt)) + RSTART + RLENGTH - 1
				txt = substr(txt, RSTART + RLENGTH)
				args(q)
				for (i = msgarg(m); i <= NA; i++)
					if (index(idents(A[i]), " " pi " "))
						helper[name] = k
			}
		}
	}
	# Assertion calls.
	lno = 1; lpos = 1
	rest = cl; off = 0
	while (match(rest, /[A-Za-z_][A-Za-z0-9_]*\(/)) {
		p = off + RSTART
		name = substr(rest, RSTART, RLENGTH - 1)
		off += RSTART + RLENGTH - 1; rest = substr(rest, RSTART + RLENGTH)
		m = msgarg(name)
		if (m == 0 || p == 1 || substr(cl, p - 1, 1) == "\n")
			continue		# not an assertion, or a definition
		args(p + length(name) + 1)
		txt = ""
		for (i = m; i <= NA; i++)
			txt = txt lits(A[i])
		ids(txt, FNAME ":" lineof(p))
	}
}

FNR == 1 {
	if (NR > 1)
		scan()
	FNAME = FILENAME; src = ""
}
{ src = src $0 "\n" }
END {
	if (NR > 0)
		scan()
}
