"""The rule `indexeer` applies, in words: for its --help, without importing the command."""

RULE_HELP = (
    "Elk tarief dat de dag voor --per geldt krijgt een nieuwe periode vanaf --per met het bedrag maal "
    "(1 + percentage/100), afgerond op centen volgens 'afronding' in regio.yml (standaard half_omhoog: "
    "rekenkundig, een halve cent naar boven; ook half_even, omlaag, omhoog); de oude periode eindigt de dag "
    "ervoor. Bij termijnen wordt het nieuwe termijnbedrag het nieuwe bedrag gedeeld door "
    "het aantal termijnen, "
    "op dezelfde manier afgerond. Tarieven zonder bedrag blijven staan en worden genoemd."
)
