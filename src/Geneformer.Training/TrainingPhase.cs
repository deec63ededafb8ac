namespace Geneformer.Training;

/// <summary>What a rank is doing, as reported to the coordinator.</summary>
public enum TrainingPhase { Joining, Loading, Training, Evaluating, Checkpointing, Stopped, Failed }
