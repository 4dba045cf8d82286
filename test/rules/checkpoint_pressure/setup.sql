-- checkpoint_pressure: twelve requested checkpoints in a cluster too young for many timed ones.
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
CHECKPOINT;
