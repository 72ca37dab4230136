
BoutputJ(ÔÊÒ»¼#¾U<=>¿ò†=5Ze=€F>­m<X¥ü¼së½[mQ=