"""A tiny, safe expression language for a worksheet's computed fields.

Grammar (whitespace ignored)::

    expr    := term (("+" | "-" | "−") term)*
    term    := unary (("*" | "×" | "/" | "÷") unary)*
    unary   := ("-" | "−") unary | primary
    primary := NUMBER | NAME | NAME "(" args ")" | "(" expr ")"
    args    := arg ("," arg)*          arg: expr, or NAME "." NAME inside sum()

Only the whitelisted functions exist: sum(rows.column), min, max, round, instalment. There is no
eval, no attribute access, no power operator; input length, nesting depth and results are bounded.
"""
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

#: longest formula accepted, in characters
MAX_LENGTH = 300
#: deepest nesting of parentheses, unary minus and calls
MAX_DEPTH = 20
#: a result larger than this (in absolute value) is not a sensible amount: it cannot be computed
MAX_RESULT = 1e15

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]{0,39})|([-+*/()×÷−,.]))")


class ExpressionError(ValueError):
    """A formula that cannot be read (told to the trainer by the checker)."""


class CannotCompute(ArithmeticError):
    """A formula that cannot give a number for these answers; `code` is one of CANNOT_COMPUTE_CODES."""

    def __init__(self, message: str, code: str = "out_of_range") -> None:
        super().__init__(message)
        self.code = code


#: why a formula cannot give a number: a value is missing, a division by zero, a result too large, a bad argument
CANNOT_COMPUTE_CODES = ("missing", "division", "too_large", "out_of_range")


@dataclass(frozen=True)
class Number:
    value: float


@dataclass(frozen=True)
class FieldRef:
    name: str


@dataclass(frozen=True)
class ColumnRef:
    """`rows.column` inside sum(): every row's value in that column."""

    field: str
    column: str


@dataclass(frozen=True)
class Unary:
    operand: "Node"


@dataclass(frozen=True)
class Binary:
    operator: str  # one of + - * /
    left: "Node"
    right: "Node"


@dataclass(frozen=True)
class Call:
    function: str
    args: tuple["Node", ...]


Node = Number | FieldRef | ColumnRef | Unary | Binary | Call

_OPERATORS = {"−": "-", "×": "*", "÷": "/"}


def tokenize(source: str) -> list[str]:
    """The formula's tokens; an ExpressionError names the first character that is not allowed."""
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"the formula is longer than {MAX_LENGTH} characters")
    tokens: list[str] = []
    position = 0
    while True:
        while position < len(source) and source[position].isspace():
            position += 1
        if position == len(source):
            break
        match = _TOKEN.match(source, position)
        if match is None:
            raise ExpressionError(f"unexpected {source[position]!r} in the formula")
        if match.group(1) and len(match.group(1)) > 20:
            raise ExpressionError("a number in the formula is too long")
        tokens.append(_OPERATORS.get(match.group(0).strip(), match.group(0).strip()))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the tokens, counting depth."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.position = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None:
            raise ExpressionError("the formula ends too early")
        if expected is not None and token != expected:
            raise ExpressionError(f"expected {expected!r}, found {token!r}")
        self.position += 1
        return token

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"the formula is nested more than {MAX_DEPTH} levels deep")

    def expression(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-"):
            operator = self.take()
            node = Binary(operator, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek() in ("*", "/"):
            operator = self.take()
            node = Binary(operator, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.peek() == "-":
            self.take()
            self.deeper()
            node = Unary(self.unary())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token == "(":
            self.deeper()
            node = self.expression()
            self.take(")")
            self.depth -= 1
            return node
        if token[0].isdigit():
            return Number(float(token))
        if token[0].isalpha() or token[0] == "_":
            if self.peek() == "(":
                return self.call(token)
            if self.peek() == ".":
                raise ExpressionError(f"{token}.… is allowed only inside sum()")
            return FieldRef(token)
        raise ExpressionError(f"unexpected {token!r}")

    def call(self, name: str) -> Node:
        if name not in FUNCTIONS:
            raise ExpressionError(f"unknown function {name!r}: use {', '.join(sorted(FUNCTIONS))}")
        self.take("(")
        self.deeper()
        args: list[Node] = []
        while True:
            if name == "sum":
                field = self.take()
                self.take(".")
                column = self.take()
                if not (field[0].isalpha() and column[0].isalpha()):
                    raise ExpressionError("sum() takes a list and a column: sum(costs.amount)")
                args.append(ColumnRef(field, column))
            else:
                args.append(self.expression())
            if self.peek() != ",":
                break
            self.take(",")
        self.take(")")
        self.depth -= 1
        low, high = FUNCTIONS[name][1]
        if not low <= len(args) <= high:
            raise ExpressionError(f"{name}() takes {low}{'' if low == high else f' to {high}'} values")
        return Call(name, tuple(args))


def parse_expression(source: str) -> Node:
    """Parse a formula into a tree, or raise ExpressionError saying what is wrong."""
    tokens = tokenize(source)
    if not tokens:
        raise ExpressionError("the formula is empty")
    parser = _Parser(tokens)
    node = parser.expression()
    if parser.peek() is not None:
        raise ExpressionError(f"unexpected {parser.peek()!r}")
    return node


def references(node: Node) -> tuple[set[str], set[tuple[str, str]]]:
    """(field names, (list field, column) pairs) the formula reads."""
    fields: set[str] = set()
    columns: set[tuple[str, str]] = set()
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, FieldRef):
            fields.add(current.name)
        elif isinstance(current, ColumnRef):
            columns.add((current.field, current.column))
        elif isinstance(current, Unary):
            stack.append(current.operand)
        elif isinstance(current, Binary):
            stack.extend((current.left, current.right))
        elif isinstance(current, Call):
            stack.extend(current.args)
    return fields, columns


def _instalment(amount: float, yearly_rate_percent: float, months: float) -> float:
    """The monthly instalment of a loan repaid in equal instalments (French amortisation)."""
    if months < 1 or months > 600 or months != int(months):
        raise CannotCompute("the number of months must be a whole number from 1 to 600")
    if not 0 <= yearly_rate_percent <= 100:
        raise CannotCompute("the yearly rate must be from 0 to 100 %")
    rate = yearly_rate_percent / 1200
    if rate == 0:
        return amount / months
    return amount * rate / (1 - (1 + rate) ** -int(months))


def _round(value: float, digits: float = 0) -> float:
    if digits != int(digits) or not 0 <= digits <= 6:
        raise CannotCompute("round() keeps 0 to 6 decimals")
    return round(value, int(digits))


#: name -> (function, (fewest, most) arguments)
FUNCTIONS: dict[str, tuple[Callable[..., float], tuple[int, int]]] = {
    "sum": (lambda *columns: math.fsum(v for column in columns for v in column), (1, 5)),
    "min": (min, (1, 20)),
    "max": (max, (1, 20)),
    "round": (_round, (1, 2)),
    "instalment": (_instalment, (3, 3)),
}

#: the answers a formula reads: a number (None when not given) per field, rows per list field
Values = Mapping[str, float | None]
Rows = Mapping[str, Sequence[Mapping[str, float | None]]]


def evaluate(node: Node, values: Values, rows: Rows | None = None) -> float:
    """The formula's value for these answers, or CannotCompute saying why not."""
    result = _evaluate(node, values, rows or {})
    if not math.isfinite(result) or abs(result) > MAX_RESULT:
        raise CannotCompute("the result is too large", "too_large")
    return result


def _evaluate(node: Node, values: Values, rows: Rows) -> float:
    if isinstance(node, Number):
        return node.value
    if isinstance(node, FieldRef):
        value = values.get(node.name)
        if value is None:
            raise CannotCompute(f"{node.name} has no value yet", "missing")
        return value
    if isinstance(node, Unary):
        return -_evaluate(node.operand, values, rows)
    if isinstance(node, Binary):
        left, right = _evaluate(node.left, values, rows), _evaluate(node.right, values, rows)
        if node.operator == "/":
            if right == 0:
                raise CannotCompute("division by zero", "division")
            result = left / right
        else:
            result = {"+": left + right, "-": left - right, "*": left * right}[node.operator]
        if not math.isfinite(result) or abs(result) > MAX_RESULT:
            raise CannotCompute("the result is too large", "too_large")
        return result
    if isinstance(node, ColumnRef):
        return math.nan  # only read through sum(), below
    function = FUNCTIONS[node.function][0]
    if node.function == "sum":
        columns = [[row.get(arg.column) or 0.0 for row in rows.get(arg.field, ())]
                   for arg in node.args if isinstance(arg, ColumnRef)]
        return function(*columns)
    return function(*(_evaluate(arg, values, rows) for arg in node.args))
