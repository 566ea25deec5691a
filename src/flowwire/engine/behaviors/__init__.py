"""One module per BPMN element behaviour; `registry` maps elements to them."""
