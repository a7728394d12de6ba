^[0-9]+ lines$
