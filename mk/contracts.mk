# mk/contracts.mk - the Solidity side, included by the top Makefile.
#
#   make contracts   compile contracts/src/*.sol with solc-js (optimizer on,
#                    1000 runs, EVM cancun) into build/contracts/<Name>.json
#                    ({abi, bytecode, deployedBytecode}) for the deploy tool;
#                    ABIs of every contract and interface in build/contracts/abi/.
#                    Rebuilt only when a source, the builder or the tools change.
#   tests/contracts/forge.t runs the forge suite (offline, solc-js through
#   tools/solc-wrapper); bench/gas.sh prints the gas of a full cycle.

CONTRACTS_OUT := build/contracts
CONTRACTS_SRC := $(sort $(wildcard contracts/src/*.sol))

contracts:: $(CONTRACTS_OUT)/.stamp

$(CONTRACTS_OUT)/.stamp: $(CONTRACTS_SRC) contracts/build.js tools/package-lock.json
	@mkdir -p $(CONTRACTS_OUT)
	node contracts/build.js $(CONTRACTS_OUT)
	@touch $@
