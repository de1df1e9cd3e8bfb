#!/bin/bash
# Inside the VM guest (make check-crash, tests/vm/run.sh): the whole crash harness of
# tests/crash/crash-lib.sh, every point unless told otherwise.
# usage: guest.sh BUILD [STRIDE [OFFSET [WHAT [SCENARIOS [CUT_STRIDE [CUT_SCENARIOS [CUT_OFFSET]]]]]]]
#        (the guest gets no environment: run.sh passes its stride (default 1) and offset (0),
#        CR_WHAT ("kills powercuts", in that order), CR_SCEN (scenario names, default all),
#        and the power cuts' stride, scenarios and offset (default: the same) as arguments)
build=$1 CR_STRIDE=${2:-1} CR_OFFSET=${3:-0} CR_WHAT=${4:-kills powercuts} CR_SCEN=${5:-}
CR_CUT_STRIDE=${6:-$CR_STRIDE} CR_CUT_SCEN=${7:-$CR_SCEN} CR_CUT_OFFSET=${8:-$CR_OFFSET}
top=${THINBOX_TOP:?}
. "$top/tests/integration/lib.sh"
. "$top/tests/crash/crash-lib.sh"
tb_setup
CR_LOG=${THINBOX_VM_OUT:-/tmp}/crash.log
: > "$CR_LOG"
rc=0
cr_selftest && echo "strace: a SIGKILL injected at syscall entry stops the call before it runs (checked)"
cr_base
for w in $CR_WHAT; do
	case $w in
	kills) cr_kills "$CR_STRIDE" "$CR_OFFSET" $CR_SCEN || rc=1 ;;
	powercuts) cr_powercuts "$CR_CUT_STRIDE" "$CR_CUT_OFFSET" $CR_CUT_SCEN || rc=1 ;;
	esac
done
tb_teardown
exit $rc
