SELECT   *
  FROM c
	WHERE c.a = 1  